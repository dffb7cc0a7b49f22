package io.capstan.ingest.publish;

import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.StreamStateKind;
import io.capstan.schemas.VideoFrame;
import io.capstan.schemas.Watermark;
import java.util.concurrent.Semaphore;

/**
 * One uid's records on capstan.frames and the promise the watermark makes: "nothing of this uid
 * below W follows". Every timestamp this class publishes is clamped to be at least the last
 * watermark and, per media kind, at least the previous one of that kind, so the promise holds even
 * when a source's audio and video are badly interleaved or a kind is re-subscribed later.
 *
 * <p>W is the smallest latest timestamp of the kinds being received. It is sent by the reader when
 * it advanced by {@link #MEDIA_STEP_US} of media time (FAST jobs run far ahead of the wall clock) and
 * by the service's ticker as a heartbeat. A record is sent before the latest timestamps are raised,
 * so a watermark computed from them never overtakes a record still on its way.
 */
public final class UidFrames {

  /** Stream state changes, for the job's events (43/44). */
  public interface StateListener {
    void stateChanged(String uid, MediaKind kind, boolean receiving, long utcMs);
  }

  static final long MEDIA_STEP_US = 100_000;
  /** Packets are small (a few KB): a wider window than raw frames keeps a FAST job's broker round trips few. */
  static final int PACKETS_IN_FLIGHT = 64;
  /**
   * Sound blocks are small too (a WebRTC source sends 100 of 10 ms a second) and must not share the
   * pictures' window: the producer lingers before it sends, so a window of a few records caps a
   * source at a few records per linger, below what sound and pictures together need.
   */
  static final int SOUND_IN_FLIGHT = 64;

  private final JobFrames job;
  private final String uid;
  private final Semaphore pictures;
  /** States and watermarks are tiny: they must not queue behind frames waiting for the broker. */
  private final Semaphore control = new Semaphore(16);
  private final Semaphore packets = new Semaphore(PACKETS_IN_FLIGHT);
  private final Semaphore sound = new Semaphore(SOUND_IN_FLIGHT);
  private final StateListener listener;
  private final long joinOrder;

  // guarded by this
  private boolean joined;
  private boolean left;
  private final long[] latest = {-1, -1};
  private final boolean[] receiving = new boolean[2];
  private long watermarkUs = -1;
  private long watermarkNanos;
  /** Passed-through video starts on a keyframe after a handover (the previous writer's GOP is not ours). */
  private boolean keyframeSent;

  UidFrames(JobFrames job, String uid, long joinOrder, int maxInFlight, StateListener listener) {
    this.job = job;
    this.uid = uid;
    this.joinOrder = joinOrder;
    this.pictures = new Semaphore(maxInFlight);
    this.listener = listener;
  }

  public String uid() {
    return uid;
  }

  /** The uid's first frame arrived at {@code offsetUs}: JOINED (once). */
  public void join(long offsetUs) throws InterruptedException {
    long ts;
    synchronized (this) {
      if (joined) {
        return;
      }
      joined = true;
      ts = Math.max(offsetUs, 0);
      watermarkUs = Math.max(watermarkUs, ts);
    }
    state(StreamStateKind.JOINED, ts, null);
  }

  public synchronized boolean receiving(MediaKind kind) {
    return receiving[kind.ordinal()];
  }

  /** Starts or stops receiving a kind at {@code timestampUs}: a state record and an event, when it changes. */
  public void setReceiving(MediaKind kind, boolean on, long timestampUs, String reason) throws InterruptedException {
    long ts;
    synchronized (this) {
      int k = kind.ordinal();
      if (receiving[k] == on || left) {
        return;
      }
      receiving[k] = on;
      ts = Math.max(Math.max(timestampUs, latest[k]), watermarkUs);
      if (on) {
        // A kind that has just started counts from here: the watermark must not wait for older media.
        latest[k] = ts;
      }
    }
    StreamStateKind state = kind == MediaKind.AUDIO
        ? (on ? StreamStateKind.AUDIO_RECEIVING : StreamStateKind.AUDIO_STOPPED)
        : (on ? StreamStateKind.VIDEO_RECEIVING : StreamStateKind.VIDEO_STOPPED);
    if (state(state, ts, reason)) {
      listener.stateChanged(uid, kind, on, System.currentTimeMillis());
    }
  }

  public void video(long timestampUs, VideoFrame frame) throws InterruptedException {
    media(MediaKind.VIDEO, timestampUs, frame);
  }

  public void audio(long timestampUs, AudioFrame frame) throws InterruptedException {
    media(MediaKind.AUDIO, timestampUs, frame);
  }

  /**
   * A picture of this kind at {@code timestampUs} was left out on purpose (the composite never
   * shows it): nothing older comes any more, so the watermark may move on as if it was sent.
   */
  public void skipped(MediaKind kind, long timestampUs) throws InterruptedException {
    if (receiving(kind) && raise(kind, timestampUs)) {
      watermark(Long.MAX_VALUE);
    }
  }

  /**
   * A passed-through packet (individual jobs), to capstan.packets with the record's timestamp its
   * dts. Its times are the source's own moved onto the job timeline and are not clamped: a reader
   * muxes them as they are. They count for the watermark like frames do.
   */
  public void packet(Packet packet) throws InterruptedException {
    if (!job.writes(packet.getDtsUs())) {
      return;
    }
    if (packet.getKind() == MediaKind.VIDEO && job.continuesAnother()) {
      synchronized (this) {
        if (!keyframeSent && !packet.getKey()) {
          return;
        }
        keyframeSent = true;
      }
    }
    if (!job.sendPacket(new EncodedPacket(job.jobId(), uid, packet.getDtsUs(), packet), packets)) {
      return;
    }
    boolean step = raise(packet.getKind(), packet.getDtsUs());
    job.mediaPublished(packet.getPtsUs());
    if (step) {
      watermark(Long.MAX_VALUE);
    }
  }

  /** The uid left (its file ended, it left the channel, or the job stops): *_STOPPED, then LEFT. */
  public void leave(String reason) throws InterruptedException {
    for (MediaKind kind : MediaKind.values()) {
      setReceiving(kind, false, 0, reason);
    }
    long ts;
    synchronized (this) {
      if (left || !joined) {
        left = true;
        return;
      }
      left = true;
      ts = Math.max(Math.max(latest[0], latest[1]), watermarkUs);
    }
    state(StreamStateKind.LEFT, ts, reason);
  }

  /** Sends the watermark if it advanced, or as a heartbeat when none was sent for {@code heartbeatNanos}. */
  void watermark(long heartbeatNanos) throws InterruptedException {
    long w;
    synchronized (this) {
      if (!joined || left) {
        return;
      }
      w = currentWatermark();
      long now = System.nanoTime();
      if (w <= watermarkUs && now - watermarkNanos < heartbeatNanos) {
        return;
      }
      watermarkUs = Math.max(watermarkUs, w);
      watermarkNanos = now;
      w = watermarkUs;
    }
    if (!job.writesWatermark(w)) {
      return;
    }
    job.send(job.record(uid, w, new Watermark(null), joinOrder), control);
  }

  private void media(MediaKind kind, long timestampUs, Object body) throws InterruptedException {
    long ts;
    synchronized (this) {
      ts = Math.max(Math.max(timestampUs, latest[kind.ordinal()]), watermarkUs);
    }
    // This instance's share of a handover: whole pictures by their time, sound cut on the sample.
    Object shared = body;
    Semaphore window = pictures;
    if (body instanceof AudioFrame audio) {
      window = sound;
      AudioShare.Part part = AudioShare.of(audio, ts, job.fromUs(), job.untilUs());
      if (part == null) {
        return;
      }
      ts = part.timestampUs();
      shared = part.frame();
    } else if (!job.writes(ts)) {
      return;
    }
    if (!job.send(job.record(uid, ts, shared, joinOrder), window)) {
      return;
    }
    boolean step = raise(kind, ts);
    job.mediaPublished(ts);
    if (step) {
      watermark(Long.MAX_VALUE);
    }
  }

  /** Media of {@code kind} has reached {@code ts}; true when the watermark moved far enough to be sent. */
  private synchronized boolean raise(MediaKind kind, long ts) {
    latest[kind.ordinal()] = Math.max(latest[kind.ordinal()], ts);
    return currentWatermark() - watermarkUs >= MEDIA_STEP_US;
  }

  /** min of the latest timestamps of the kinds being received; with none, the job's own position. */
  private long currentWatermark() {
    long w = Long.MAX_VALUE;
    for (MediaKind kind : MediaKind.values()) {
      if (receiving[kind.ordinal()]) {
        w = Math.min(w, latest[kind.ordinal()]);
      }
    }
    if (w == Long.MAX_VALUE) {
      // Nothing being received (a lost stream reconnecting): its next frame lands at "now" or later.
      w = job.timeline().fast() ? watermarkUs : job.timeline().wallUs();
    }
    return Math.max(w, watermarkUs);
  }

  private boolean state(StreamStateKind kind, long timestampUs, String reason) throws InterruptedException {
    if (!job.writes(timestampUs)) {
      // the other writer of a handover says it (or said it) for its share
      return false;
    }
    StreamState state = new StreamState(kind, System.currentTimeMillis(), reason);
    return job.send(job.record(uid, timestampUs, state, joinOrder), control);
  }
}
