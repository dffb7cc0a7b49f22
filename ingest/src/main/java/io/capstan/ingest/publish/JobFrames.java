package io.capstan.ingest.publish;

import io.capstan.ingest.timeline.JobTimeline;
import io.capstan.schemas.Discontinuity;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.Layout;
import io.capstan.schemas.LayoutChange;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.SpecChange;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One job's output on capstan.frames: the job-level records (uid "") and one {@link UidFrames} per
 * uid. Once sealed (EndOfJob sent, or the job handed to another instance) nothing more is written,
 * even by a reader thread that is slow to notice the job has ended: EndOfJob must be the last record.
 */
public final class JobFrames {

  private final FrameSender sender;
  private final String jobId;
  private final JobTimeline timeline;
  private final ReadWriteLock gate = new ReentrantReadWriteLock();
  private final Semaphore control = new Semaphore(64);
  private final AtomicLong maxMediaUs = new AtomicLong(0);
  private final Map<String, UidFrames> uids = new ConcurrentHashMap<>();
  private boolean sealed;

  public JobFrames(FrameSender sender, String jobId, JobTimeline timeline) {
    this.sender = sender;
    this.jobId = jobId;
    this.timeline = timeline;
  }

  public String jobId() {
    return jobId;
  }

  public JobTimeline timeline() {
    return timeline;
  }

  /** A uid's output; a uid that comes back after leaving gets a fresh one. */
  public UidFrames open(String uid, int maxInFlight, UidFrames.StateListener listener) {
    UidFrames frames = new UidFrames(this, uid, maxInFlight, listener);
    uids.put(uid, frames);
    return frames;
  }

  /** The largest media timestamp published: where a FAST job's timeline ends. */
  public long maxMediaUs() {
    return maxMediaUs.get();
  }

  /** A FAST job whose timeline goes on after its last media (post-processing: to the source's end). */
  public void reach(long timestampUs) {
    maxMediaUs.accumulateAndGet(timestampUs, Math::max);
  }

  /** The job's current position: the wall clock for REALTIME, the media published so far for FAST. */
  public long positionUs() {
    return timeline.fast() ? maxMediaUs.get() : Math.max(timeline.wallUs(), maxMediaUs.get());
  }

  public void discontinuity(String reason) throws InterruptedException {
    send(record("", positionUs(), new Discontinuity(reason)), control);
  }

  public void layoutChange(int generation, Layout layout) throws InterruptedException {
    send(record("", positionUs(), new LayoutChange(generation, layout)), control);
  }

  public void specChange(int generation) throws InterruptedException {
    send(record("", positionUs(), new SpecChange(generation)), control);
  }

  /** Sends EndOfJob at the job's end position and seals; @return that position. */
  public long endOfJob(int exitStatus) throws InterruptedException {
    long end = positionUs();
    send(record("", end, new EndOfJob(timeline.startedUtcMs() + end / 1000, exitStatus)), control);
    seal();
    return end;
  }

  /** Nothing more is written for this job. */
  public void seal() {
    gate.writeLock().lock();
    try {
      sealed = true;
    } finally {
      gate.writeLock().unlock();
    }
  }

  /** Heartbeat watermarks of every uid still in the job; called by the service's ticker. */
  public void tick(long heartbeatNanos) {
    for (UidFrames uid : List.copyOf(uids.values())) {
      try {
        uid.watermark(heartbeatNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  void mediaPublished(long timestampUs) {
    maxMediaUs.accumulateAndGet(timestampUs, Math::max);
  }

  MediaRecord record(String uid, long timestampUs, Object body) {
    return new MediaRecord(jobId, uid, timestampUs, body);
  }

  /** @return false when the job is sealed and the record was dropped */
  boolean send(MediaRecord record, Semaphore inflight) throws InterruptedException {
    inflight.acquire();
    gate.readLock().lock();
    try {
      if (sealed) {
        inflight.release();
        return false;
      }
      sender.send(record, inflight);
      return true;
    } finally {
      gate.readLock().unlock();
    }
  }
}
