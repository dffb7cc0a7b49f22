package io.capstan.gateway.whip;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Bearer tokens that let one uid publish into one channel of one app until an expiry:
 * {@code v1.<expiresAt ms>.<HMAC-SHA256 of appid, channel, uid and expiry>}. Nothing but the
 * expiry travels in clear; the rest is what the publisher's URL already names. Checked in
 * constant time, so a guess learns nothing from how long the refusal took.
 */
public final class WhipTokens {

  private static final String VERSION = "v1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;
  private final Clock clock;

  public WhipTokens(byte[] secret, Clock clock) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("the secret needs at least 16 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.clock = clock;
  }

  /** A key for a deployment that configured none: tokens are good on this process only. */
  public static byte[] randomSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  /** A token and when it expires (UTC ms). */
  public record Minted(String token, long expiresAt) {
  }

  public Minted mint(String appId, String channel, String uid, Duration ttl) {
    long expiresAt = clock.millis() + ttl.toMillis();
    return new Minted(VERSION + "." + expiresAt + "." + B64.encodeToString(mac(appId, channel, uid, expiresAt)),
        expiresAt);
  }

  /** Why a token is refused, or null when it lets this uid publish into this channel now. */
  public String refusal(String token, String appId, String channel, String uid) {
    if (token == null || token.isBlank()) {
      return "a bearer token is required (POST /v1/apps/{appid}/whip/{channel}/{uid}/token mints one)";
    }
    String[] parts = token.trim().split("\\.", -1);
    long expiresAt;
    try {
      if (parts.length != 3 || !parts[0].equals(VERSION)) {
        return "the token is malformed";
      }
      expiresAt = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return "the token is malformed";
    }
    byte[] given = parts[2].getBytes(StandardCharsets.US_ASCII);
    byte[] expected = B64.encode(mac(appId, channel, uid, expiresAt));
    if (!MessageDigest.isEqual(expected, given)) {
      return "the token is not valid for this app, channel and uid";
    }
    if (clock.millis() >= expiresAt) {
      return "the token has expired";
    }
    return null;
  }

  private byte[] mac(String appId, String channel, String uid, long expiresAt) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      // Lengths first, so that no two (appid, channel, uid) triples share a message.
      for (String part : new String[] {appId, channel, uid}) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        mac.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) ':');
        mac.update(bytes);
      }
      mac.update(Long.toString(expiresAt).getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
