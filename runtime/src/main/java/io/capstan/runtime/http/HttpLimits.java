package io.capstan.runtime.http;

import io.capstan.runtime.config.Config;
import io.capstan.runtime.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * What one HTTP client may hold of a service's port: how long a request's headers and body may take,
 * how long a connection may sit idle, and how many connections one address and everyone together
 * may keep open. A few slow or hostile clients then cost a few sockets, never the service.
 */
public record HttpLimits(Duration headerTimeout, Duration idleTimeout, int connectionsPerAddress, int maxConnections) {

  public static final Setting<Duration> HEADER_TIMEOUT = Setting.duration("http.header.timeout", Duration.ofSeconds(10),
      "a connection whose first request has not arrived whole (headers and body) within this is closed");
  public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("http.idle.timeout", Duration.ofSeconds(30),
      "a connection on which nothing moves for this long is closed (also mid-request: a stalled body)");
  public static final Setting<Integer> CONNECTIONS_PER_ADDRESS = Setting.integer("http.connections.per.address", 100,
      "most connections one client address may hold open; more are closed as they arrive");
  public static final Setting<Integer> MAX_CONNECTIONS = Setting.integer("http.connections.max", 2000,
      "most connections open at once; past it the port stops accepting until some close");

  public static final HttpLimits DEFAULTS = new HttpLimits(HEADER_TIMEOUT.defaultValue(), IDLE_TIMEOUT.defaultValue(),
      CONNECTIONS_PER_ADDRESS.defaultValue(), MAX_CONNECTIONS.defaultValue());

  public static HttpLimits of(Config config) {
    return new HttpLimits(config.get(HEADER_TIMEOUT), config.get(IDLE_TIMEOUT), config.get(CONNECTIONS_PER_ADDRESS),
        config.get(MAX_CONNECTIONS));
  }

  public static List<Setting<?>> settings() {
    return List.of(HEADER_TIMEOUT, IDLE_TIMEOUT, CONNECTIONS_PER_ADDRESS, MAX_CONNECTIONS);
  }
}
