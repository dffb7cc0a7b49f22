package io.capstan.mixer.timeline;

import java.util.ArrayDeque;

/**
 * How far a job's output may go (its frontier, job-timeline microseconds). Output instant t is
 * final once every active uid's watermark has reached t. With FAST pacing that is the only rule,
 * so the same records give the same output. With REALTIME pacing the output does not wait more
 * than the jitter buffer (wall clock) for a lagging uid: once the leading input (the furthest
 * watermark or record time) has been at t for longer than the jitter buffer, t is final anyway
 * and whatever the laggard sends for it later is late. Measuring the wait from when the leader
 * got there, not from the job's start time, keeps clock skew and ingest latency out of it.
 *
 * <p>The buffer adapts: a record that comes after its instant was made shows how far its uid lags
 * the leader, and the buffer grows to cover that lag (up to a maximum), so a uid that fell behind
 * (an overloaded machine, a network stall) loses a moment, not the rest of the recording. After
 * a quiet spell without late records it shrinks back by half the excess at a time. The price is
 * output latency, which a recording can afford more than lost pictures.
 */
public final class EventClock {

  /** Added to a measured lag: the next records of a lagging uid jitter too. */
  static final long MARGIN_MS = 100;
  /** How long without late records before the buffer shrinks a step. */
  static final long QUIET_MS = 30_000;

  private final boolean realtime;
  private final long baseJitterMs;
  private final long maxJitterMs;
  private long jitterMs;
  private long lastLateMs;
  /** {leaderUs, wallMs}: when the leading input reached each time, oldest first. */
  private final ArrayDeque<long[]> leaderHistory = new ArrayDeque<>();
  private long leaderUs = Long.MIN_VALUE;

  public EventClock(boolean realtime, long jitterMs) {
    this(realtime, jitterMs, jitterMs);
  }

  /** @param maxJitterMs how far the buffer may grow for lagging uids ({@code jitterMs}: not at all) */
  public EventClock(boolean realtime, long jitterMs, long maxJitterMs) {
    this.realtime = realtime;
    this.baseJitterMs = jitterMs;
    this.maxJitterMs = Math.max(jitterMs, maxJitterMs);
    this.jitterMs = jitterMs;
  }

  /** The jitter buffer now, in milliseconds. */
  public long jitterMs() {
    return jitterMs;
  }

  /**
   * A record at {@code timeUs} came after its instant was made: from now on, wait as long as its
   * uid lags the leader (REALTIME only; the leader moves with the wall clock there).
   */
  public void late(long timeUs, long nowMs) {
    if (!realtime || leaderUs == Long.MIN_VALUE) {
      return;
    }
    long lagMs = Math.max(0, (leaderUs - timeUs) / 1000);
    long wanted = Math.min(maxJitterMs, lagMs + MARGIN_MS);
    if (wanted > jitterMs) {
      jitterMs = wanted;
    }
    lastLateMs = nowMs;
  }

  /** The leading input time is now {@code timeUs} (seen at wall time {@code nowMs}). */
  public void leader(long timeUs, long nowMs) {
    if (timeUs > leaderUs) {
      leaderUs = timeUs;
      if (realtime) {
        leaderHistory.addLast(new long[] {timeUs, nowMs});
      }
    }
  }

  public long leaderUs() {
    return leaderUs;
  }

  /**
   * @param slowestUs the smallest watermark of the uids the output waits for, or
   *                  {@code Long.MAX_VALUE} when it waits for nobody
   */
  public long frontier(long slowestUs, long nowMs) {
    if (slowestUs == Long.MAX_VALUE) {
      return leaderUs;
    }
    if (!realtime) {
      return slowestUs;
    }
    if (jitterMs > baseJitterMs && nowMs - lastLateMs >= QUIET_MS) {
      jitterMs = Math.max(baseJitterMs, jitterMs - (jitterMs - baseJitterMs + 1) / 2);
      lastLateMs = nowMs;
    }
    long waitedEnough = Long.MIN_VALUE;
    // Drop all but the newest entry that is older than the jitter buffer: it is the bound.
    while (!leaderHistory.isEmpty() && nowMs - leaderHistory.peekFirst()[1] >= jitterMs) {
      long[] entry = leaderHistory.pollFirst();
      waitedEnough = entry[0];
      if (leaderHistory.isEmpty() || nowMs - leaderHistory.peekFirst()[1] < jitterMs) {
        leaderHistory.addFirst(entry);
        break;
      }
    }
    return Math.max(slowestUs, waitedEnough);
  }
}
