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

  public static final Setting<String> WHIP_SECRET = Setting.secret("gateway.whip.secret",
      "key that signs WHIP publishing tokens; every gateway of a deployment needs the same one (unset = random, "
          + "tokens good on this gateway only)");
  public static final Setting<Duration> WHIP_SILENCE = Setting.duration("gateway.whip.silence", Duration.ofSeconds(10),
      "a WHIP publisher whose connection is down this long (or not up this long after its offer; no picture or sound "
          + "in twice this) leaves its channel");
  public static final Setting<Duration> WHIP_MAX_TTL = Setting.duration("gateway.whip.token.max.ttl",
      Duration.ofHours(24), "the longest ttlSeconds a WHIP token may be minted with");
  public static final Setting<Integer> WHIP_MAX_PUBLISHERS = Setting.integer("gateway.whip.max.publishers", 100,
      "WHIP publishers one gateway holds at once; more are answered 503");
  public static final Setting<String> WHIP_RELAY_URL = Setting.string("gateway.whip.relay.url", "",
      "the http://host:port at which ingest instances on other machines reach this gateway for its WHIP publishers' "
          + "media; empty: this machine's name and the port the publisher used");

  public static List<Setting<?>> settings() {
    List<Setting<?>> all = new java.util.ArrayList<>(List.of(AUTH, RESOURCE_SECRET, RESOURCE_VALIDITY, START_WAIT,
        STOP_WAIT, SEND_TIMEOUT, FILE_SOURCES, AddressPolicy.ALLOW_PRIVATE, RATE_LIMIT, WHIP_SECRET, WHIP_SILENCE,
        WHIP_MAX_TTL, WHIP_MAX_PUBLISHERS, WHIP_RELAY_URL));
    all.addAll(io.capstan.runtime.rtc.RtcConfig.settings());
    all.addAll(SpecLimits.settings());
    return List.copyOf(all);
  }
}
