package io.capstan.ingest.timeline;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The job timeline: microseconds since JobSpec.startedUtcMs. REALTIME jobs follow the wall clock
 * (anchored on the monotonic clock so a clock step cannot move published timestamps); FAST jobs
 * follow media time, so the wall clock means nothing to them and nothing waits.
 */
public final class JobTimeline {

  private final long startedUtcMs;
  private final boolean fast;
  private final long zeroNanos;

  public JobTimeline(long startedUtcMs, boolean fast) {
    this.startedUtcMs = startedUtcMs;
    this.fast = fast;
    this.zeroNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - startedUtcMs);
  }

  public long startedUtcMs() {
    return startedUtcMs;
  }

  public boolean fast() {
    return fast;
  }

  /** Wall-clock position on the timeline (meaningful for REALTIME jobs). */
  public long wallUs() {
    return (System.nanoTime() - zeroNanos) / 1000;
  }

  /**
   * Where a uid's first frame lands: now for REALTIME; 0 for FAST, whose sources are all named in
   * the job and start together at media time 0.
   */
  public long arrivalUs() {
    return fast ? 0 : Math.max(0, wallUs());
  }

  /**
   * Waits until the wall clock reaches {@code timestampUs} (REALTIME) or not at all (FAST).
   *
   * @return false when {@code stop} was signalled instead
   */
  public boolean pace(long timestampUs, CountDownLatch stop) throws InterruptedException {
    if (fast) {
      return stop.getCount() > 0;
    }
    long waitUs = timestampUs - wallUs();
    if (waitUs <= 0) {
      return stop.getCount() > 0;
    }
    return !stop.await(waitUs, TimeUnit.MICROSECONDS);
  }
}
