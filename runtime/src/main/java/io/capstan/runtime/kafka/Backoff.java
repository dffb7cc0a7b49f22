package io.capstan.runtime.kafka;

import java.time.Duration;

/** Exponential waits between retries: initial, doubling, capped; back to initial after a success. */
public final class Backoff {

  private final long initialMs;
  private final long maxMs;
  private long nextMs;

  public Backoff(Duration initial, Duration max) {
    this.initialMs = Math.max(1, initial.toMillis());
    this.maxMs = Math.max(initialMs, max.toMillis());
    this.nextMs = initialMs;
  }

  /** The wait before the next try; each call doubles the one after. */
  public long nextMillis() {
    long wait = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    return wait;
  }

  public void reset() {
    nextMs = initialMs;
  }
}
