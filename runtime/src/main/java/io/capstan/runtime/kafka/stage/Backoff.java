package io.capstan.runtime.kafka.stage;

import java.time.Duration;

/** Exponential waits between retries: initial, doubling, capped; back to initial after a success. */
final class Backoff {

  private final long initialMs;
  private final long maxMs;
  private long nextMs;

  Backoff(Duration initial, Duration max) {
    this.initialMs = Math.max(1, initial.toMillis());
    this.maxMs = Math.max(initialMs, max.toMillis());
    this.nextMs = initialMs;
  }

  /** The wait before the next try; each call doubles the one after. */
  long nextMillis() {
    long wait = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    return wait;
  }

  void reset() {
    nextMs = initialMs;
  }
}
