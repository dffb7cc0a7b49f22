package io.capstan.gateway.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ResourceIdTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T08:53:01Z"));
  private final ResourceIds ids = new ResourceIds("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8), clock,
      Duration.ofMinutes(5));

  @Test
  void issuedIdsVerifyAndCarryTheirClaims() {
    String rid = ids.issue("httpClient463224", "527841", 1);
    assertThat(rid).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    ResourceIds.Claims claims = ids.verifyForStart(rid, "httpClient463224", "527841");
    assertThat(claims).isEqualTo(new ResourceIds.Claims("httpClient463224", "527841", 1, clock.millis(), 72));
  }

  @Test
  void anotherGatewayWithTheSameSecretAcceptsIt() {
    String rid = ids.issue("room", "1", 0);
    ResourceIds other = new ResourceIds("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8), clock,
        Duration.ofMinutes(5));
    assertThat(other.verify(rid).cname()).isEqualTo("room");
    assertThat(other.sidFor(rid)).isEqualTo(ids.sidFor(rid));
  }

  @Test
  void aGatewayWithAnotherSecretRefusesIt() {
    String rid = ids.issue("room", "1", 0);
    ResourceIds other = new ResourceIds(ResourceIds.randomSecret(), clock, Duration.ofMinutes(5));
    assertKind(() -> other.verify(rid), ResourceIdException.Kind.INVALID, 1001);
  }

  @Test
  void tamperedOrGarbageIdsAreInvalid() {
    String rid = ids.issue("room", "1", 0);
    String payload = rid.substring(0, rid.indexOf('.'));
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8).replace("room", "roon")
            .getBytes(StandardCharsets.UTF_8));
    assertKind(() -> ids.verify(forged + rid.substring(rid.indexOf('.'))), ResourceIdException.Kind.INVALID, 1001);
    assertKind(() -> ids.verify(rid.substring(0, rid.length() - 2)), ResourceIdException.Kind.INVALID, 1001);
    assertKind(() -> ids.verify("not-a-resource-id"), ResourceIdException.Kind.INVALID, 1001);
    assertKind(() -> ids.verify("!!!.???"), ResourceIdException.Kind.INVALID, 1001);
    assertKind(() -> ids.verify(""), ResourceIdException.Kind.INVALID, 1001);
  }

  @Test
  void anotherCnameOrUidIsAMismatch() {
    String rid = ids.issue("room", "1", 0);
    assertKind(() -> ids.verifyForStart(rid, "room2", "1"), ResourceIdException.Kind.MISMATCH, 432);
    assertKind(() -> ids.verifyForStart(rid, "room", "2"), ResourceIdException.Kind.MISMATCH, 432);
  }

  @Test
  void goodForFiveMinutesForStartButNotLaterForTheRecording() {
    String rid = ids.issue("room", "1", 0);
    clock.advance(Duration.ofMinutes(5));
    assertThat(ids.verifyForStart(rid, "room", "1").uid()).isEqualTo("1");
    clock.advance(Duration.ofSeconds(1));
    assertKind(() -> ids.verifyForStart(rid, "room", "1"), ResourceIdException.Kind.EXPIRED, 433);
    // Queries and stops of the recording it started go on for hours.
    assertThat(ids.verifyFor(rid, "room", "1").cname()).isEqualTo("room");
  }

  @Test
  void sidIs32LowercaseHexAndDiffersPerResourceId() {
    String a = ids.issue("room", "1", 0);
    clock.advance(Duration.ofMillis(1));
    String b = ids.issue("room", "1", 0);
    assertThat(ids.sidFor(a)).matches("[0-9a-f]{32}").isEqualTo(ids.sidFor(a)).isNotEqualTo(ids.sidFor(b));
  }

  private static void assertKind(Runnable call, ResourceIdException.Kind kind, int code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ResourceIdException.class, e -> {
      assertThat(e.kind()).isEqualTo(kind);
      assertThat(e.kind().code()).isEqualTo(code);
    });
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
