package io.capstan.mixer.handover;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a partition's previous owner left for the jobs this instance has not opened yet: their
 * resume points and the offset committed with them. Until a job is opened here (or given up on),
 * every commit of the partition carries its point on and keeps the offset no further than where
 * the previous owner left it: a second handover (a replacement joining, a transaction thrown
 * away) before the job's first record comes in still finds where its committed output ended,
 * instead of restarting it from its replayed input (frames twice, behind a discontinuity).
 */
public final class InheritedNote {

  private final long committedOffset;
  private final long claimByMs;
  private final Map<String, Map<String, ResumePoint>> unclaimed;

  /**
   * @param committedOffset the partition's committed offset the note came with
   * @param points          the note's resume points, per job, per output uid
   * @param claimByMs       after this (epoch ms) a job not seen yet is taken for gone: running jobs
   *                        send a record (a watermark at least) every fraction of a second
   */
  public InheritedNote(long committedOffset, Map<String, Map<String, ResumePoint>> points, long claimByMs) {
    this.committedOffset = committedOffset;
    this.unclaimed = new LinkedHashMap<>(points);
    this.claimByMs = claimByMs;
  }

  /** The job's resume points, handed to the job that opens now; none when the note had none. */
  public Map<String, ResumePoint> claim(String jobId) {
    return unclaimed.remove(jobId);
  }

  /** A job this instance will not mix (it ended or failed): nothing to carry on for it. */
  public void forget(String jobId) {
    unclaimed.remove(jobId);
  }

  /**
   * Adds the unclaimed points to {@code points} (jobs open here win) and returns how far the
   * partition's offset may go: not past the inherited offset while any job is unclaimed.
   */
  public long carryOn(Map<String, Map<String, ResumePoint>> points, long offset, long nowMs) {
    if (unclaimed.isEmpty()) {
      return offset;
    }
    if (nowMs > claimByMs) {
      unclaimed.clear();
      return offset;
    }
    unclaimed.forEach(points::putIfAbsent);
    return Math.min(offset, committedOffset);
  }

  /** Jobs of the note not opened yet. */
  public int unclaimedCount() {
    return unclaimed.size();
  }
}
