package io.capstan.gateway.mapping;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/** URL checks shared by the mappers (image URLs, webhooks, storage endpoints, sources). */
final class Urls {

  static final Set<String> WEB = Set.of("http", "https");

  private Urls() {
  }

  /** The URL's scheme in lower case, after checking it is an absolute URL with one of {@code schemes}. */
  static String require(Obj o, String name, String url, Set<String> schemes) {
    String scheme = scheme(url);
    if (scheme == null || !schemes.contains(scheme)) {
      throw o.invalid(name, "must be an absolute URL with scheme " + String.join(", ", schemes.stream().sorted().toList()));
    }
    return scheme;
  }

  static String scheme(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null) {
        return null;
      }
      String scheme = uri.getScheme().toLowerCase();
      if (!scheme.equals("file") && (uri.getHost() == null || uri.getHost().isEmpty())) {
        return null;
      }
      return scheme;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
