package io.capstan.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.runtime.config.Setting;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Mints a WHIP publishing token from the gateway: one channel, one uid, an expiry. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Mint a token that lets one uid publish into a channel with WHIP; prints it as the last line.")
final class ChannelToken implements Callable<Integer> {

  @Option(names = "--channel", required = true, description = "channel name (cname)")
  String channel;
  @Option(names = "--uid", required = true, description = "the publisher's uid")
  String uid;
  @Option(names = "--ttl", defaultValue = "1h", description = "how long the token is good for (90s, 30m, 1h, 1d; default 1h)")
  String ttl;
  @Option(names = "--api", defaultValue = "http://localhost:8080", description = "the REST API (default http://localhost:8080)")
  String api;
  @Option(names = "--auth", description = "the REST API's Basic credentials as KEY:SECRET (default: none)")
  String auth;
  @Option(names = "--appid", defaultValue = "capstan", description = "the app id in the publishing URL (default capstan)")
  String appId;

  @Override
  public Integer call() throws Exception {
    long seconds = ttlSeconds(ttl);
    String endpoint = api.replaceAll("/+$", "") + "/v1/apps/" + segment(appId) + "/whip/" + segment(channel) + "/"
        + segment(uid);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + "/token"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"ttlSeconds\": " + seconds + "}"));
    if (auth != null && !auth.isBlank()) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
    }
    HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      System.err.println("the gateway refused the token (" + response.statusCode() + "): " + response.body());
      return 1;
    }
    JsonNode body = new ObjectMapper().readTree(response.body());
    System.out.println("publish to: " + endpoint);
    System.out.println("expires at: " + Instant.ofEpochMilli(body.path("expiresAt").asLong()));
    System.out.println(body.path("token").asText());
    return 0;
  }

  private static long ttlSeconds(String ttl) {
    Duration d;
    try {
      d = Setting.duration("ttl", Duration.ZERO, "").parser().apply(ttl.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--ttl: expected a duration such as 90s, 30m, 1h or 1d, got '" + ttl + "'");
    }
    if (d.toSeconds() < 1) {
      throw new IllegalArgumentException("--ttl: must be at least 1 s");
    }
    return d.toSeconds();
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
