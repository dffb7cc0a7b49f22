package io.capstan.notifier.envelope;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The callback signature headers: {@code Agora-Signature} is the hex HMAC-SHA1 of the raw body
 * with the subscriber's secret, {@code Agora-Signature-V2} the hex HMAC-SHA256.
 */
public final class Signatures {

  public static final String HEADER_V1 = "Agora-Signature";
  public static final String HEADER_V2 = "Agora-Signature-V2";

  private Signatures() {
  }

  public static String sha1(String secret, byte[] body) {
    return hmac("HmacSHA1", secret, body);
  }

  public static String sha256(String secret, byte[] body) {
    return hmac("HmacSHA256", secret, body);
  }

  private static String hmac(String algorithm, String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }
}
