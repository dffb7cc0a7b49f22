package io.capstan.gateway.whip;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The channel and uid a publisher names: the hosted product's channel names; uids as the directory takes them. */
final class Names {

  private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9 !#$%&()+\\-:;<=.>?@\\[\\]^_{|}~,]+");
  private static final Pattern UID = Pattern.compile("[A-Za-z0-9_.\\-]+");

  private Names() {
  }

  /** Why the names are refused, or null. */
  static String check(String channel, String uid) {
    if (channel.getBytes(StandardCharsets.UTF_8).length > 64 || !CHANNEL.matcher(channel).matches()) {
      return "channel: at most 64 bytes of letters, digits, spaces and !#$%&()+-:;<=.>?@[]^_{|}~,";
    }
    if (uid.length() > 255 || !UID.matcher(uid).matches()) {
      return "uid: at most 255 letters, digits, '_', '.' or '-'";
    }
    return null;
  }
}
