package io.capstan.gateway.mapping;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Recording ids (sid, the jobId): 32 lowercase hex digits, as the hosted product's. */
public final class Sids {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern SID = Pattern.compile("[0-9a-f]{32}");

  private Sids() {
  }

  public static String random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  public static boolean valid(String sid) {
    return sid != null && SID.matcher(sid).matches();
  }
}
