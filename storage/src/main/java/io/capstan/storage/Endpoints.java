package io.capstan.storage;

import java.net.URI;
import java.net.URISyntaxException;

/** A job's storage endpoint ("https://minio:9000", "minio:9000", "http://127.0.0.1:10000/devstoreaccount1"). */
public final class Endpoints {

  private Endpoints() {
  }

  /** The endpoint as a URI (https assumed without a scheme), or null when none is given. */
  public static URI parse(String endpoint) throws StoreException {
    if (endpoint == null || endpoint.isBlank()) {
      return null;
    }
    String value = endpoint.trim();
    if (!value.contains("://")) {
      value = "https://" + value;
    }
    try {
      URI uri = new URI(value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
          || uri.getUserInfo() != null || uri.getQuery() != null) {
        throw new URISyntaxException(value, "not an http(s) address without credentials");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new StoreException(StoreException.Category.INVALID,
          "storage: endpoint must be an http(s) address such as https://host:port");
    }
  }
}
