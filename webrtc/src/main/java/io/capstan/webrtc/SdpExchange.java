package io.capstan.webrtc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP half of WHIP and WHEP: POST an offer (application/sdp, optional Bearer token), expect
 * 201 with a Location and the answer; DELETE the Location to end. Messages name the endpoint
 * without its query (where a token may hide) and never the token.
 */
final class SdpExchange {

  private static final Logger log = LoggerFactory.getLogger(SdpExchange.class);

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  record Answer(URI location, String sdp) {
  }

  private SdpExchange() {
  }

  static Answer post(String protocol, URI endpoint, String token, String offer, Duration timeout) throws RtcException, IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "application/sdp")
        .header("Accept", "application/sdp")
        .POST(HttpRequest.BodyPublishers.ofString(offer));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = send(request.build());
    int status = response.statusCode();
    if (status != 201 && status != 200) {
      // 4xx: the request or the token is wrong, trying again will not help; 5xx: may pass.
      throw new RtcException(protocol + " POST " + safe(endpoint) + " answered " + status + excerpt(response.body()),
          status >= 400 && status < 500 && status != 429);
    }
    String location = response.headers().firstValue("Location").orElse(null);
    if (location == null) {
      throw new RtcException(protocol + " POST " + safe(endpoint) + " answered " + status + " without a Location", true);
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (!type.toLowerCase().startsWith("application/sdp")) {
      throw new RtcException(protocol + " POST " + safe(endpoint) + " answered with " + (type.isEmpty() ? "no content type" : type)
          + ", not application/sdp", true);
    }
    return new Answer(endpoint.resolve(location), response.body());
  }

  /** Best effort: a failure is logged, the session ends anyway. */
  static void delete(String protocol, URI location, String token, Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(location).timeout(timeout).DELETE();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = send(request.build());
      if (response.statusCode() / 100 != 2 && response.statusCode() != 404) {
        log.warn("{} DELETE {} answered {}", protocol, safe(location), response.statusCode());
      }
    } catch (IOException e) {
      log.warn("{} DELETE {} failed: {}", protocol, safe(location), e.toString());
    }
  }

  private static HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  static String safe(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority() + (uri.getPath() == null ? "" : uri.getPath());
  }

  private static String excerpt(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String line = body.strip().lines().findFirst().orElse("");
    return ": " + (line.length() > 200 ? line.substring(0, 200) + "…" : line);
  }
}
