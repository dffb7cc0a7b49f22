package io.capstan.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LateSkipTest {

  @Test
  void aSourceFallingBehindIsSkippedUntilItIsBackWithinHalfTheLimit() {
    LateSkip late = new LateSkip(4_000_000);
    assertThat(late.skip(100_000)).isFalse();
    assertThat(late.skip(3_900_000)).isFalse();
    assertThat(late.skip(4_100_000)).isTrue();
    assertThat(late.skip(3_000_000)).as("catching up").isTrue();
    assertThat(late.skip(2_000_000)).as("back within half").isFalse();
    assertThat(late.skip(3_900_000)).isFalse();
  }

  @Test
  void noLimitNeverSkips() {
    LateSkip late = new LateSkip(0);
    assertThat(late.skip(60_000_000)).isFalse();
  }
}
