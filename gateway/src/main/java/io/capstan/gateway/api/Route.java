package io.capstan.gateway.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A request path of the API, taken apart: which call, and its appid, resourceId, sid and mode. */
record Route(Call call, String appId, String resourceId, String sid, String mode) {

  enum Call {
    ACQUIRE("POST"), START("POST"), QUERY("GET"), UPDATE("POST"), UPDATE_LAYOUT("POST"), STOP("POST");

    final String method;

    Call(String method) {
      this.method = method;
    }
  }

  static final String BASE = "/v1/apps/";
  private static final Pattern ACQUIRE = Pattern.compile("/v1/apps/([^/]+)/cloud_recording/acquire/?");
  private static final Pattern START = Pattern.compile(
      "/v1/apps/([^/]+)/cloud_recording/resourceid/([^/]+)/mode/([^/]+)/start/?");
  private static final Pattern SID_CALL = Pattern.compile(
      "/v1/apps/([^/]+)/cloud_recording/resourceid/([^/]+)/sid/([^/]+)/mode/([^/]+)/(query|update|updateLayout|stop)/?");

  /** The route of a raw path, or null when the path is none of the API's. */
  static Route of(String rawPath) {
    Matcher m = ACQUIRE.matcher(rawPath);
    if (m.matches()) {
      return new Route(Call.ACQUIRE, decode(m.group(1)), null, null, null);
    }
    m = START.matcher(rawPath);
    if (m.matches()) {
      return new Route(Call.START, decode(m.group(1)), decode(m.group(2)), null, decode(m.group(3)));
    }
    m = SID_CALL.matcher(rawPath);
    if (m.matches()) {
      Call call = switch (m.group(5)) {
        case "query" -> Call.QUERY;
        case "update" -> Call.UPDATE;
        case "updateLayout" -> Call.UPDATE_LAYOUT;
        default -> Call.STOP;
      };
      return new Route(call, decode(m.group(1)), decode(m.group(2)), decode(m.group(3)), decode(m.group(4)));
    }
    return null;
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
