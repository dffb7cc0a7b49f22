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
 */
public final class EventClock {

  private final boolean realtime;
  private final long jitterMs;
  /** {leaderUs, wallMs}: when the leading input reached each time, oldest first. */
  private final ArrayDeque<long[]> leaderHistory = new ArrayDeque<>();
  private long leaderUs = Long.MIN_VALUE;

  public EventClock(boolean realtime, long jitterMs) {
    this.realtime = realtime;
    this.jitterMs = jitterMs;
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
