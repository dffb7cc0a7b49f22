package io.capstan.ingest.timeline;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The job timeline: microseconds since JobSpec.startedUtcMs. REALTIME jobs follow the wall clock
 * (anchored on the monotonic clock so a clock step cannot move published timestamps); FAST jobs
 * follow media time, so the wall clock means nothing to them; instead their sources keep pace with
 * each other (see {@link Lane}).
 */
public final class JobTimeline {

  /**
   * How far a FAST source may run ahead of the job's slowest one, in media time. The mixer waits
   * for the slowest uid and holds the others' pictures meanwhile, a bounded number of them: a light
   * source racing ahead of a heavy one would have its pictures dropped there.
   */
  public static final long FAST_LEAD_US = 1_000_000;
  /**
   * REALTIME media that a source has ahead of time (a file, a recorded stream) leaves on ticks of
   * this length: everything due before the next tick goes at once, up to a tick early, never late.
   * A source paced record by record wakes for every picture and every 21 ms of sound; with every
   * source on the same ticks their records leave together, and the producer, the broker and the
   * mixer wake once for them all. (FFmpeg's {@code -re} reads half a second ahead.)
   */
  public static final long REALTIME_TICK_US = 50_000;
  private static final long RECHECK_MS = 50;

  private final long startedUtcMs;
  private final boolean fast;
  private final long zeroNanos;
  /** FAST: each delivering source's latest media time. */
  private final Map<Lane, Long> lanes = new HashMap<>();

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
   * Waits until the wall clock reaches the tick at or before {@code timestampUs} (REALTIME; see
   * {@link #REALTIME_TICK_US}) or not at all (FAST).
   *
   * @return false when {@code stop} was signalled instead
   */
  public boolean pace(long timestampUs, CountDownLatch stop) throws InterruptedException {
    if (fast) {
      return stop.getCount() > 0;
    }
    long waitUs = timestampUs - Math.floorMod(timestampUs, REALTIME_TICK_US) - wallUs();
    if (waitUs <= 0) {
      return stop.getCount() > 0;
    }
    return !stop.await(waitUs, TimeUnit.MICROSECONDS);
  }

  /** One source's place on the timeline: it paces the source, and for FAST jobs keeps it with the others. */
  public Lane lane() {
    return new Lane();
  }

  private long slowestUs() {
    long slowest = Long.MAX_VALUE;
    for (long progress : lanes.values()) {
      slowest = Math.min(slowest, progress);
    }
    return slowest;
  }

  /** A source reader's use of the timeline. Released while the source delivers nothing. */
  public final class Lane {

    private Lane() {
    }

    /**
     * FAST: the source is about to open; until it delivers (or fails), the others wait for it at
     * the start, so none is far along before its pictures can be mixed with this one's.
     */
    public void starting() {
      if (fast) {
        synchronized (lanes) {
          lanes.putIfAbsent(this, 0L);
        }
      }
    }

    /**
     * REALTIME: waits for the wall clock to reach {@code timestampUs}. FAST: waits while this source
     * is more than {@link #FAST_LEAD_US} ahead of the slowest delivering source of the job.
     *
     * @return false when {@code stop} was signalled instead
     */
    public boolean pace(long timestampUs, CountDownLatch stop) throws InterruptedException {
      if (!fast) {
        return JobTimeline.this.pace(timestampUs, stop);
      }
      synchronized (lanes) {
        lanes.merge(this, timestampUs, Math::max);
        lanes.notifyAll();
        while (timestampUs > slowestUs() + FAST_LEAD_US) {
          if (stop.getCount() == 0) {
            return false;
          }
          lanes.wait(RECHECK_MS); // stop is a latch, not this monitor: look again now and then
        }
      }
      return stop.getCount() > 0;
    }

    /** The source delivers nothing for now (ended, failed, reconnecting): nobody waits for it. */
    public void release() {
      synchronized (lanes) {
        if (lanes.remove(this) != null) {
          lanes.notifyAll();
        }
      }
    }
  }
}
