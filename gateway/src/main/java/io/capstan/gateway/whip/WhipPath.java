package io.capstan.gateway.whip;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path under {@code /v1/apps/{appid}/whip}: the page ({@link Kind#PAGE}), a publisher's endpoint
 * ({@code /{channel}/{uid}}), its token ({@code /token}), a session ({@code /{channel}/{uid}/{session}})
 * and the session's media for other ingest instances ({@code .../{session}/media}).
 */
record WhipPath(Kind kind, String appId, String channel, String uid, String session) {

  enum Kind { PAGE, ENDPOINT, TOKEN, SESSION, MEDIA }

  private static final Pattern PATH = Pattern.compile(
      "/v1/apps/([^/]+)/whip(?:/([^/]+)/([^/]+)(?:/([^/]+)(?:/(media))?)?)?/?");

  /** Whether a raw path is one of WHIP's (so the REST API's rules do not apply to it). */
  static boolean matches(String rawPath) {
    return rawPath.matches("/v1/apps/[^/]+/whip(/.*)?");
  }

  /** The path taken apart, or null when it is none of WHIP's. */
  static WhipPath of(String rawPath) {
    Matcher m = PATH.matcher(rawPath);
    if (!m.matches()) {
      return null;
    }
    String appId = decode(m.group(1));
    if (m.group(2) == null) {
      return new WhipPath(Kind.PAGE, appId, null, null, null);
    }
    String channel = decode(m.group(2));
    String uid = decode(m.group(3));
    if (m.group(4) == null) {
      return new WhipPath(Kind.ENDPOINT, appId, channel, uid, null);
    }
    if (m.group(5) != null) {
      return new WhipPath(Kind.MEDIA, appId, channel, uid, decode(m.group(4)));
    }
    if (m.group(4).equals("token")) {
      return new WhipPath(Kind.TOKEN, appId, channel, uid, null);
    }
    return new WhipPath(Kind.SESSION, appId, channel, uid, decode(m.group(4)));
  }

  /** The publisher endpoint's path, raw (what Location headers are built from). */
  static String endpoint(String appId, String channel, String uid) {
    return "/v1/apps/" + encode(appId) + "/whip/" + encode(channel) + "/" + encode(uid);
  }

  static String encode(String segment) {
    return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
