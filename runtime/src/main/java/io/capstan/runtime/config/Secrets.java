package io.capstan.runtime.config;

import java.util.regex.Pattern;

/** Keeps secrets out of logs: masks setting values and credentials embedded in URLs. */
public final class Secrets {

  private static final String MASK = "****";
  private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|sasl\\.jaas|key\\.password|token|credential|auth).*");
  /** user:password@ (or a token@) in a URL's authority; greedy, so a password with an unescaped @ goes too. */
  private static final Pattern URL_USER_INFO = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)[^/?#\\s]+@");
  /**
   * Query and fragment parameters that carry a credential: presigned URLs (S3 and its clones, Aliyun
   * OSS, Google, Azure SAS {@code sig}), OAuth tokens and plain keys and passwords. Their names, not
   * their values, are what is recognised, so the parameters a reader needs to see (expiry, SAS
   * version, SRT streamid) stay.
   */
  private static final Pattern PARAMETER_SECRET = Pattern.compile("(?i)([?&#](?:"
      + "x-amz-signature|x-amz-credential|x-amz-security-token|awsaccesskeyid"
      + "|x-goog-signature|x-goog-credential|googleaccessid"
      + "|x-oss-signature|x-oss-credential|x-oss-security-token|ossaccesskeyid|security-token"
      + "|signature|sig"
      + "|access_token|refresh_token|id_token|token|auth|key|api_key|apikey"
      + "|passphrase|password|secret|client_secret"
      + ")=)[^&#\\s\"'<>]*");
  /** An RTMP URL's stream key: the last path segment after the application ({@code rtmp://host/app/KEY}). */
  private static final Pattern RTMP_STREAM_KEY = Pattern.compile(
      "(?i)(\\brtmp[a-z]{0,2}://[^/\\s\"'<>]+/[^/?#\\s\"'<>]+(?:/[^/?#\\s\"'<>]+)*/)[^/?#\\s\"'<>]+");

  private Secrets() {
  }

  public static boolean looksSecret(String name) {
    return SECRET_NAME.matcher(name).matches();
  }

  /**
   * A URL, or a text that quotes URLs (an FFmpeg or HTTP client error), as it may be logged or put
   * in an event: user info, RTMP stream keys and credential parameters (query or fragment, any
   * case) replaced by {@code ****}.
   */
  public static String redactUrl(String url) {
    if (url == null) {
      return null;
    }
    String masked = URL_USER_INFO.matcher(url).replaceAll("$1" + MASK + "@");
    masked = RTMP_STREAM_KEY.matcher(masked).replaceAll("$1" + MASK);
    return PARAMETER_SECRET.matcher(masked).replaceAll("$1" + MASK);
  }
}
