package io.capstan.gateway.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * HTTP Basic authentication against one configured customer key and secret
 * ({@code gateway.auth = key:secret}); without credentials configured every call is let in.
 */
public final class BasicAuth {

  private final byte[] expected;

  private BasicAuth(byte[] expected) {
    this.expected = expected;
  }

  /** {@code credentials} is {@code key:secret}, or null/blank for no authentication. */
  public static BasicAuth of(String credentials) {
    if (credentials == null || credentials.isBlank()) {
      return new BasicAuth(null);
    }
    if (!credentials.contains(":") || credentials.startsWith(":") || credentials.endsWith(":")) {
      throw new IllegalArgumentException("expected key:secret");
    }
    return new BasicAuth(("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
        .getBytes(StandardCharsets.UTF_8));
  }

  public boolean enabled() {
    return expected != null;
  }

  /** Whether an {@code Authorization} header value carries the configured credentials. */
  public boolean accepts(String authorization) {
    if (expected == null) {
      return true;
    }
    if (authorization == null) {
      return false;
    }
    // Constant time, so the comparison does not tell how much of a guess was right.
    return MessageDigest.isEqual(expected, authorization.trim().getBytes(StandardCharsets.UTF_8));
  }
}
