package io.capstan.uploader.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesWithJitterUpToTheMax() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new Random(1));
    for (int attempt = 0; attempt < 100; attempt++) {
      long ceiling = Math.min(5000, 100L << Math.min(attempt, 30));
      Duration d = backoff.delay(attempt);
      assertThat(d.toMillis()).as("attempt " + attempt).isBetween(ceiling / 2, ceiling);
    }
    assertThat(backoff.delay(1000)).isLessThanOrEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void jitterSpreadsRetries() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new Random(7));
    assertThat(java.util.stream.IntStream.range(0, 20).mapToObj(i -> backoff.delay(5)).distinct().count())
        .isGreaterThan(5);
  }
}
