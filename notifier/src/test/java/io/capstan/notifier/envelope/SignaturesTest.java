package io.capstan.notifier.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignaturesTest {

  /**
   * The hosted product's published test vector. Its documentation signs this exact body (with
   * {@code eventMs}, and the noticeId's last dash); the copy in our reference page lost both, and
   * its body does not give these digests.
   */
  private static final String BODY = "{\"eventMs\":1560408533119,\"eventType\":10,"
      + "\"noticeId\":\"4eb720f0-8da7-11e9-a43e-53f411c2761f\",\"notifyMs\":1560408533119,"
      + "\"payload\":{\"a\":\"1\",\"b\":2},\"productId\":1}";

  @Test
  void agoraSignatureIsHexHmacSha1OfTheRawBody() {
    assertThat(Signatures.sha1("secret", BODY.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("033c62f40f687675f17f0f41f91a40c71c0f134c");
  }

  @Test
  void agoraSignatureV2IsHexHmacSha256OfTheRawBody() {
    assertThat(Signatures.sha256("secret", BODY.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("6d3320c60b11101395b7fc8f9068748808a0aa1bfa064438e39d1bc2c7d74d99");
  }

  @Test
  void anotherSecretGivesAnotherSignature() {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    assertThat(Signatures.sha256("Secret", body)).isNotEqualTo(Signatures.sha256("secret", body));
  }
}
