package io.capstan.gateway;

import io.capstan.runtime.config.Setting;
import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.source.SourcePolicy;
import io.capstan.runtime.spec.SpecLimits;
import java.time.Duration;
import java.util.List;

/** The gateway's settings (environment: CAPSTAN_GATEWAY_...). */
public final class GatewaySettings {

  public static final Setting<Integer> HTTP_PORT = Setting.integer("gateway.http.port", 8080,
      "port of the REST API (and /health, /ready, /metrics) when the gateway runs alone");
  public static final Setting<String> AUTH = Setting.secret("gateway.auth",
      "HTTP Basic credentials of the REST API as key:secret; unset = no authentication");
  public static final Setting<String> RESOURCE_SECRET = Setting.secret("gateway.resource.secret",
      "key that signs resourceIds; every gateway of a deployment needs the same one (unset = random, one gateway only)");
  public static final Setting<Duration> RESOURCE_VALIDITY = Setting.duration("gateway.resource.validity",
      Duration.ofMinutes(5), "how long a resourceId from acquire is good for a start");
  public static final Setting<Duration> STOP_WAIT = Setting.duration("gateway.stop.wait", Duration.ofSeconds(20),
      "how long a stop without async_stop waits for the uploads before it answers");
  public static final Setting<Duration> SEND_TIMEOUT = Setting.duration("gateway.send.timeout", Duration.ofSeconds(10),
      "how long a call waits for Kafka to acknowledge its command before it answers 503");
  public static final Setting<Boolean> FILE_SOURCES = SourcePolicy.FILES;
  public static final Setting<Duration> START_WAIT = Setting.duration("gateway.start.wait", Duration.ofSeconds(5),
      "how long a start waits for ingest to take the recording (or refuse it, then answered with ingest's reason);"
          + " after it the queued command stands and the start answers 200");

  private GatewaySettings() {
  }

  public static final Setting<Integer> RATE_LIMIT = Setting.integer("gateway.rate.limit", 50,
      "REST requests per second per client address (failed authentication included) before 429 API rate limit"
          + " exceeded (0: unlimited)");

  public static List<Setting<?>> settings() {
    List<Setting<?>> all = new java.util.ArrayList<>(List.of(AUTH, RESOURCE_SECRET, RESOURCE_VALIDITY, START_WAIT,
        STOP_WAIT, SEND_TIMEOUT, FILE_SOURCES, AddressPolicy.ALLOW_PRIVATE, RATE_LIMIT));
    all.addAll(SpecLimits.settings());
    return List.copyOf(all);
  }
}
