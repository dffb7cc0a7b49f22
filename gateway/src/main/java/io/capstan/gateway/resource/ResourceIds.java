package io.capstan.gateway.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless, self-verifying resourceIds, so any gateway instance can check one another issued:
 * {@code base64url(json{cname, uid, scene, hours, issuedMs, nonce}) + "." + base64url(HMAC-SHA256(payload))}.
 * The nonce keeps two acquires of the same millisecond apart (each resourceId is good for one start).
 * Every gateway of a deployment needs the same secret ({@code gateway.resource.secret}).
 *
 * <p>The sid of the recording a resourceId starts is derived from it (HMAC again), so a repeated
 * start with the same resourceId names the same sid on any instance and can be recognised.
 */
public final class ResourceIds {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final Clock clock;
  private final Duration validity;

  public ResourceIds(byte[] secret, Clock clock, Duration validity) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("the resourceId secret needs at least 16 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.clock = clock;
    this.validity = validity;
  }

  /** A random secret, for a gateway that runs alone. */
  public static byte[] randomSecret() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /** acquire's default {@code resourceExpiredHour}; also what resourceIds issued before it was carried say. */
  public static final int DEFAULT_EXPIRED_HOUR = 72;

  /**
   * What a resourceId says. {@code expiredHour}: acquire's {@code resourceExpiredHour}, how long after
   * the start the recording's calls (query, update, updateLayout, stop) are accepted.
   */
  public record Claims(String cname, String uid, int scene, long issuedMs, int expiredHour) {
  }

  public String issue(String cname, String uid, int scene) {
    return issue(cname, uid, scene, DEFAULT_EXPIRED_HOUR);
  }

  public String issue(String cname, String uid, int scene, int expiredHour) {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("cname", cname).put("uid", uid).put("scene", scene).put("hours", expiredHour)
        .put("issuedMs", clock.millis())
        .put("nonce", Long.toHexString(RANDOM.nextLong()));
    String encoded = B64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
    return encoded + "." + B64.encodeToString(mac(encoded));
  }

  /** The claims of a resourceId this deployment issued; {@code INVALID} for anything else. */
  public Claims verify(String resourceId) {
    int dot = resourceId == null ? -1 : resourceId.lastIndexOf('.');
    if (dot <= 0 || resourceId.length() > 2048) {
      throw new ResourceIdException(ResourceIdException.Kind.INVALID);
    }
    String encoded = resourceId.substring(0, dot);
    try {
      byte[] signature = B64D.decode(resourceId.substring(dot + 1));
      if (!MessageDigest.isEqual(signature, mac(encoded))) {
        throw new ResourceIdException(ResourceIdException.Kind.INVALID);
      }
      JsonNode payload = JSON.readTree(B64D.decode(encoded));
      JsonNode hours = payload.get("hours");
      return new Claims(payload.get("cname").textValue(), payload.get("uid").textValue(),
          payload.get("scene").intValue(), payload.get("issuedMs").longValue(),
          hours == null ? DEFAULT_EXPIRED_HOUR : hours.intValue());
    } catch (ResourceIdException e) {
      throw e;
    } catch (Exception e) {
      // Not base64, not JSON, fields missing: not one of ours.
      throw new ResourceIdException(ResourceIdException.Kind.INVALID);
    }
  }

  /** Verified, issued for this cname and uid ({@code MISMATCH}), and not older than the validity. */
  public Claims verifyForStart(String resourceId, String cname, String uid) {
    Claims claims = verifyFor(resourceId, cname, uid);
    if (expired(claims)) {
      throw new ResourceIdException(ResourceIdException.Kind.EXPIRED);
    }
    return claims;
  }

  /** Verified and issued for this cname and uid; its age does not matter (query, update, stop). */
  public Claims verifyFor(String resourceId, String cname, String uid) {
    Claims claims = verify(resourceId);
    if (!claims.cname().equals(cname) || !claims.uid().equals(uid)) {
      throw new ResourceIdException(ResourceIdException.Kind.MISMATCH);
    }
    return claims;
  }

  public boolean expired(Claims claims) {
    return clock.millis() - claims.issuedMs() > validity.toMillis();
  }

  /**
   * Refuses ({@code HOURS_PASSED}) once the claims' {@code resourceExpiredHour} has passed since
   * {@code startedUtcMs}, the recording's start (the issue time when the start is not known yet,
   * at most the validity earlier).
   */
  public void requireWithinHours(Claims claims, long startedUtcMs) {
    long from = startedUtcMs > 0 ? startedUtcMs : claims.issuedMs();
    if (clock.millis() - from > Duration.ofHours(claims.expiredHour()).toMillis()) {
      throw new ResourceIdException(ResourceIdException.Kind.HOURS_PASSED);
    }
  }

  /** The sid a start with this resourceId gets: 32 lowercase hex digits, the same on every gateway. */
  public String sidFor(String resourceId) {
    byte[] mac = mac("sid:" + resourceId);
    return HexFormat.of().formatHex(mac, 0, 16);
  }

  private byte[] mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
