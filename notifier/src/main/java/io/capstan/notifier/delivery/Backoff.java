package io.capstan.notifier.delivery;

import java.time.Duration;

/**
 * Exponential backoff with equal jitter: after the n-th failure wait between half and all of
 * min(cap, base * 2^(n-1)). The random half keeps many jobs failing at once from retrying in
 * lock step; the fixed half keeps a retry from following a failure at once.
 */
public record Backoff(Duration base, Duration cap) {

  /** @param failures failed attempts so far (1 after the first), {@code random} in [0, 1). */
  public Duration delay(int failures, double random) {
    long baseMs = Math.max(1, base.toMillis());
    int doublings = Math.min(Math.max(failures - 1, 0), 40);
    long full = Math.min(cap.toMillis(), saturatedShift(baseMs, doublings));
    long half = full / 2;
    return Duration.ofMillis(half + (long) (random * (full - half)));
  }

  private static long saturatedShift(long value, int bits) {
    return value > (Long.MAX_VALUE >> bits) ? Long.MAX_VALUE : value << bits;
  }
}
