package io.capstan.ingest.publish;

import io.capstan.ingest.timeline.JobTimeline;
import io.capstan.schemas.Discontinuity;
import io.capstan.schemas.EncodedPacket;
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
 * uid (whose passed-through packets go to capstan.packets). Once sealed (EndOfJob sent, or the job handed to another instance) nothing more is written,
 * even by a reader thread that is slow to notice the job has ended: EndOfJob must be the last record.
 */
public final class JobFrames {

  private static final long PACKET_ACK_TIMEOUT_MS = 30_000;
  /**
   * A new writer's watermarks start this far after its share: the previous writer's last records
   * before the share may still be on their way, and a watermark past them would make them late.
   */
  static final long WATERMARK_HOLD_US = 200_000;

  private final FrameSender sender;
  private final String jobId;
  private final JobTimeline timeline;
  private final ReadWriteLock gate = new ReentrantReadWriteLock();
  private final Semaphore control = new Semaphore(64);
  private final AtomicLong maxMediaUs = new AtomicLong(0);
  private final Map<String, UidFrames> uids = new ConcurrentHashMap<>();
  /** Passed-through packets sent and not yet acknowledged; guarded by itself. */
  private final int[] packetsInFlight = {0};
  private boolean sealed;
  private boolean packetsSealed;
  /**
   * The stretch of the job timeline whose uid records (media, states, watermarks) this instance
   * writes: the rest is another instance's, across a handover without a hole or an overlap.
   */
  private volatile long fromUs = Long.MIN_VALUE;
  private volatile long untilUs = Long.MAX_VALUE;

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

  /**
   * A uid's output; a uid that comes back after leaving gets a fresh one.
   *
   * @param joinOrder the uid's place in the join order, carried on each of its records
   */
  public UidFrames open(String uid, long joinOrder, int maxInFlight, UidFrames.StateListener listener) {
    UidFrames frames = new UidFrames(this, uid, joinOrder, maxInFlight, listener);
    uids.put(uid, frames);
    return frames;
  }

  /** The previous owner writes the uids' records before {@code timestampUs}; this instance from there on. */
  public void writeFrom(long timestampUs) {
    fromUs = timestampUs;
  }

  /** The next owner writes the uids' records from {@code timestampUs} on; this instance up to there. */
  public void writeUntil(long timestampUs) {
    untilUs = timestampUs;
  }

  /** True when this instance took the job over from another that wrote it up to a point (and writes from there). */
  public boolean continuesAnother() {
    return fromUs != Long.MIN_VALUE;
  }

  long fromUs() {
    return fromUs;
  }

  long untilUs() {
    return untilUs;
  }

  /** True when a uid's record at {@code timestampUs} is this instance's to write. */
  boolean writes(long timestampUs) {
    return timestampUs >= fromUs && timestampUs < untilUs;
  }

  /** True when a uid's watermark at {@code timestampUs} is this instance's to write. */
  boolean writesWatermark(long timestampUs) {
    return timestampUs < untilUs && (fromUs == Long.MIN_VALUE || timestampUs >= fromUs + WATERMARK_HOLD_US);
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

  /**
   * A Discontinuity on capstan.packets too (uid "": every output of the job), for an individual
   * job whose packets pass through: nothing else tells the segmenter that they broke off.
   */
  public void packetDiscontinuity(String reason) throws InterruptedException {
    sendPacket(new EncodedPacket(jobId, "", positionUs(), new Discontinuity(reason)), control);
  }

  public void layoutChange(int generation, Layout layout) throws InterruptedException {
    send(record("", positionUs(), new LayoutChange(generation, layout)), control);
  }

  public void specChange(int generation) throws InterruptedException {
    send(record("", positionUs(), new SpecChange(generation)), control);
  }

  /**
   * Sends EndOfJob at the job's end position and seals; @return that position. The job's packets
   * on capstan.packets are all acknowledged first: the mixer ends the job's packet stream when it
   * reads this EndOfJob, and no passed-through packet may come after that end.
   */
  public long endOfJob(int exitStatus) throws InterruptedException {
    gate.writeLock().lock();
    try {
      packetsSealed = true;
    } finally {
      gate.writeLock().unlock();
    }
    awaitPackets(PACKET_ACK_TIMEOUT_MS);
    // Stopped before the previous owner's share ended: the recording ends where that share does.
    long end = fromUs == Long.MIN_VALUE ? positionUs() : Math.max(positionUs(), fromUs);
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

  /** @return false when the job is sealed and the packet was dropped */
  boolean sendPacket(EncodedPacket record, Semaphore inflight) throws InterruptedException {
    inflight.acquire();
    gate.readLock().lock();
    try {
      if (sealed || packetsSealed) {
        inflight.release();
        return false;
      }
      synchronized (packetsInFlight) {
        packetsInFlight[0]++;
      }
      sender.send(record, inflight, this::packetAcked);
      return true;
    } finally {
      gate.readLock().unlock();
    }
  }

  private void packetAcked() {
    synchronized (packetsInFlight) {
      packetsInFlight[0]--;
      packetsInFlight.notifyAll();
    }
  }

  private void awaitPackets(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    synchronized (packetsInFlight) {
      while (packetsInFlight[0] > 0) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          org.slf4j.LoggerFactory.getLogger(JobFrames.class).warn("job {}: {} packets unacknowledged after {} ms; "
              + "ending the job anyway", jobId, packetsInFlight[0], timeoutMs);
          return;
        }
        packetsInFlight.wait(left);
      }
    }
  }

  MediaRecord record(String uid, long timestampUs, Object body) {
    return record(uid, timestampUs, body, 0);
  }

  MediaRecord record(String uid, long timestampUs, Object body, long joinOrder) {
    return new MediaRecord(jobId, uid, timestampUs, body, joinOrder);
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
