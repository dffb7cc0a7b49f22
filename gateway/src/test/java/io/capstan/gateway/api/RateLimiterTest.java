package io.capstan.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void allowsABurstOfOneSecondThenRefillsPerClientAddress() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(5, now::get);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.allow("203.0.113.7")).isTrue();
    }
    assertThat(limiter.allow("203.0.113.7")).as("sixth request in the same instant").isFalse();
    assertThat(limiter.allow("198.51.100.9")).as("other clients have their own budget").isTrue();
    now.addAndGet(200_000_000L);
    assertThat(limiter.allow("203.0.113.7")).as("200 ms later one more is allowed").isTrue();
    assertThat(limiter.allow("203.0.113.7")).isFalse();
  }

  @Test
  void zeroMeansUnlimited() {
    RateLimiter limiter = new RateLimiter(0, System::nanoTime);
    for (int i = 0; i < 10_000; i++) {
      assertThat(limiter.allow("a")).isTrue();
    }
  }
}
