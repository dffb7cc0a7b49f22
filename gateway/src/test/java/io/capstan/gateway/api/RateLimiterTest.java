package io.capstan.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void allowsABurstOfOneSecondThenRefillsPerApp() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(5, now::get);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.allow("app1")).isTrue();
    }
    assertThat(limiter.allow("app1")).as("sixth request in the same instant").isFalse();
    assertThat(limiter.allow("app2")).as("other apps have their own budget").isTrue();
    now.addAndGet(200_000_000L);
    assertThat(limiter.allow("app1")).as("200 ms later one more is allowed").isTrue();
    assertThat(limiter.allow("app1")).isFalse();
  }

  @Test
  void zeroMeansUnlimited() {
    RateLimiter limiter = new RateLimiter(0, System::nanoTime);
    for (int i = 0; i < 10_000; i++) {
      assertThat(limiter.allow("a")).isTrue();
    }
  }
}
