package io.capstan.runtime.config;

import java.util.regex.Pattern;

/** Keeps secrets out of logs: masks setting values and credentials embedded in URLs. */
public final class Secrets {

  private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|sasl\\.jaas|key\\.password|token|credential|auth).*");
  private static final Pattern URL_USER_INFO = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)[^/@\\s]+@");
  private static final Pattern QUERY_SECRET = Pattern.compile("(?i)([?&](passphrase|password|secret|token|key|sig|signature)=)[^&\\s]*");

  private Secrets() {
  }

  public static boolean looksSecret(String name) {
    return SECRET_NAME.matcher(name).matches();
  }

  /** A URL as it may be logged: user info and secret query parameters replaced by ****. */
  public static String redactUrl(String url) {
    if (url == null) {
      return null;
    }
    String masked = URL_USER_INFO.matcher(url).replaceAll("$1****@");
    return QUERY_SECRET.matcher(masked).replaceAll("$1****");
  }
}
