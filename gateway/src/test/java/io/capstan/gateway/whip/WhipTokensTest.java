package io.capstan.gateway.whip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WhipTokensTest {

  private static final byte[] SECRET = "a deployment secret of some length".getBytes(StandardCharsets.UTF_8);
  private final Instant now = Instant.parse("2026-12-06T10:00:00Z");
  private final WhipTokens tokens = new WhipTokens(SECRET, Clock.fixed(now, ZoneOffset.UTC));

  @Test
  void aTokenLetsItsOwnUidPublishIntoItsOwnChannelUntilItExpires() {
    WhipTokens.Minted minted = tokens.mint("app", "class-7", "101", Duration.ofHours(1));

    assertThat(minted.expiresAt()).isEqualTo(now.plus(Duration.ofHours(1)).toEpochMilli());
    assertThat(tokens.refusal(minted.token(), "app", "class-7", "101")).isNull();
    WhipTokens later = new WhipTokens(SECRET, Clock.fixed(now.plus(Duration.ofHours(1)), ZoneOffset.UTC));
    assertThat(later.refusal(minted.token(), "app", "class-7", "101")).isEqualTo("the token has expired");
  }

  @Test
  void aTokenIsRefusedForAnotherUidChannelAppOrSecret() {
    String token = tokens.mint("app", "class-7", "101", Duration.ofMinutes(5)).token();

    assertThat(tokens.refusal(token, "app", "class-7", "102")).contains("not valid");
    assertThat(tokens.refusal(token, "app", "class-8", "101")).contains("not valid");
    assertThat(tokens.refusal(token, "other", "class-7", "101")).contains("not valid");
    // Boundaries cannot be moved between fields.
    assertThat(tokens.refusal(tokens.mint("app", "ab", "c", Duration.ofMinutes(5)).token(), "app", "a", "bc"))
        .contains("not valid");
    WhipTokens otherDeployment = new WhipTokens("another secret, also long".getBytes(StandardCharsets.UTF_8),
        Clock.fixed(now, ZoneOffset.UTC));
    assertThat(otherDeployment.refusal(token, "app", "class-7", "101")).contains("not valid");
  }

  @Test
  void aForgedExpiryOrAMalformedTokenIsRefused() {
    String token = tokens.mint("app", "c", "1", Duration.ofMinutes(5)).token();
    String[] parts = token.split("\\.");
    String extended = parts[0] + "." + (Long.parseLong(parts[1]) + 86_400_000L) + "." + parts[2];

    assertThat(tokens.refusal(extended, "app", "c", "1")).contains("not valid");
    assertThat(tokens.refusal("v1.abc.def", "app", "c", "1")).isEqualTo("the token is malformed");
    assertThat(tokens.refusal("garbage", "app", "c", "1")).isEqualTo("the token is malformed");
    assertThat(tokens.refusal(null, "app", "c", "1")).contains("bearer token is required");
  }
}
