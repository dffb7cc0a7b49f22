package io.capstan.segmenter.rtmp;

import io.capstan.runtime.config.Secrets;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import io.capstan.segmenter.mux.FlvMuxer;
import io.capstan.segmenter.mux.H264;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes one job's composite output live to one RTMP(S) URL (rtmp_publish_service) on its own
 * thread: the segmenter hands it the H.264 and AAC packets it also writes to files, and this
 * muxes them as FLV and sends them as they come. Nothing here can slow down or change the files:
 * {@link #offer} never blocks (when the connection cannot keep up, queued packets are dropped and
 * the push starts again at the next keyframe).
 *
 * <p>A connection starts at a video keyframe, with timestamps counted from it. When it cannot be
 * made or breaks, the publisher waits (1 s, doubling up to the maximum backoff) and tries again
 * from the next keyframe. Its state goes to {@link Status}: connecting, publishing, onhold (while
 * the recording is on hold; the connection is kept), disconnected.
 */
public final class RtmpPublisher implements AutoCloseable {

  /** Receives the push's states, the reference's event 100 words. */
  public interface Status {
    void changed(String rtmpUrl, String status);
  }

  public static final String CONNECTING = "connecting";
  public static final String PUBLISHING = "publishing";
  public static final String ONHOLD = "onhold";
  public static final String DISCONNECTED = "disconnected";

  private static final Logger log = LoggerFactory.getLogger(RtmpPublisher.class);
  private static final int QUEUE = 1024;
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Packet GAP = new Packet();
  private static final Packet END = new Packet();
  /** Packets held from a keyframe while the audio's config is not known yet. */
  private static final int MAX_PENDING = 256;
  private static final long RECENT_AUDIO_US = 3_000_000;

  private final String jobId;
  private final String url;
  private final Status status;
  private final BooleanSupplier onhold;
  private final Duration maxBackoff;
  private final Duration ioTimeout;
  private final BlockingQueue<Packet> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Thread thread;
  private volatile boolean running = true;

  // publisher thread only
  private RtmpSink sink;
  private FlvMuxer muxer;
  private TrackConfig audioConfig;
  private final List<Packet> pending = new ArrayList<>();
  private final java.util.ArrayDeque<Packet> recentAudio = new java.util.ArrayDeque<>();
  private long baseUs;
  private long lastVideoDts = Long.MIN_VALUE;
  private long lastAudioDts = Long.MIN_VALUE;
  private long backoffMs = FIRST_BACKOFF.toMillis();
  private long nextAttemptNanos = System.nanoTime();
  private String shown;
  private boolean shownHold;

  /**
   * @param onhold whether the job is on hold now (read about twice a second)
   */
  public RtmpPublisher(String jobId, String url, Status status, BooleanSupplier onhold, Duration maxBackoff,
                       Duration ioTimeout) {
    this.jobId = jobId;
    this.url = url;
    this.status = status;
    this.onhold = onhold;
    this.maxBackoff = maxBackoff;
    this.ioTimeout = ioTimeout;
    this.thread = new Thread(this::run, "rtmp-" + jobId);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  public String url() {
    return url;
  }

  /** A packet of the composite output, in the order the segmenter got it; never blocks. */
  public void offer(Packet packet) {
    if (!running) {
      return;
    }
    if (!queue.offer(packet)) {
      // Behind by a thousand packets: start again from a keyframe rather than slow anything down.
      queue.clear();
      queue.offer(GAP);
    }
  }

  /** The job's output ended: send what is queued, close the stream, say disconnected. */
  public void end() {
    while (running && !queue.offer(END)) {
      queue.poll();
    }
  }

  /** Stops now (the job moved to another instance, or the service stops). */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }

  /** Waits for the publisher thread to finish (tests). */
  public boolean await(Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
    return !thread.isAlive();
  }

  private void run() {
    show(CONNECTING);
    try {
      while (running) {
        Packet packet = queue.poll(500, TimeUnit.MILLISECONDS);
        showHold();
        if (packet == END) {
          break;
        }
        if (packet == GAP) {
          log.warn("job {}: the RTMP push fell behind; it goes on from the next keyframe", jobId);
          lastVideoDts = Long.MIN_VALUE;
          continue;
        }
        if (packet != null) {
          handle(packet);
        }
      }
      if (muxer != null && sink != null) {
        sink.write(muxer.finish());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      log.warn("job {}: RTMP push to {} ended: {}", jobId, Secrets.redactUrl(url), Secrets.redactUrl(e.getMessage()));
    } finally {
      disconnect();
      running = false;
      show(DISCONNECTED);
    }
  }

  private void handle(Packet packet) {
    boolean video = packet.getKind() == MediaKind.VIDEO;
    if (!video && packet.getConfig() != null) {
      audioConfig = packet.getConfig();
    }
    if (muxer != null) {
      write(packet);
      return;
    }
    if (!video) {
      // x264's lookahead makes video come later than the audio of the same time: keep the recent
      // audio, so a push starting at a keyframe has the sound from that keyframe on.
      recentAudio.addLast(packet);
      while (packet.getDtsUs() - recentAudio.peekFirst().getDtsUs() > RECENT_AUDIO_US) {
        recentAudio.removeFirst();
      }
    }
    // Not connected: a connection starts at a video keyframe (the mixer makes one per slice), once
    // the audio's config is known too (its first packet may come just after the keyframe).
    if (pending.isEmpty() && (!video || !packet.getKey() || packet.getConfig() == null
        || System.nanoTime() < nextAttemptNanos)) {
      return;
    }
    pending.add(packet);
    if (audioConfig == null) {
      if (pending.size() > MAX_PENDING) {
        pending.clear();
      }
      return;
    }
    List<Packet> start = new ArrayList<>(pending);
    pending.clear();
    connect(start.get(0));
    if (muxer != null) {
      write(start.get(0));
      recentAudio.forEach(this::write);
      start.subList(1, start.size()).forEach(this::write);
    }
    recentAudio.clear();
  }

  private void write(Packet packet) {
    if (muxer == null) {
      return;
    }
    boolean video = packet.getKind() == MediaKind.VIDEO;
    // A packet seen again (the segmenter re-read its input after a failed transaction) is not sent twice.
    long dts = packet.getDtsUs();
    if (video ? dts <= lastVideoDts : dts <= lastAudioDts) {
      return;
    }
    if (video && lastVideoDts == Long.MIN_VALUE && !packet.getKey()) {
      return; // after a gap: wait for a keyframe
    }
    if (dts < baseUs || packet.getPtsUs() < baseUs) {
      return;
    }
    try {
      muxer.write(packet.getKind(), packet.getPtsUs() - baseUs, dts - baseUs, packet.getDurationUs(),
          packet.getKey(), packet.getData());
      if (video) {
        lastVideoDts = dts;
      } else {
        lastAudioDts = dts;
      }
      sink.write(muxer.drain());
    } catch (IOException | RuntimeException e) {
      log.warn("job {}: RTMP push to {} broke: {}; reconnecting", jobId, Secrets.redactUrl(url),
          Secrets.redactUrl(e.getMessage()));
      disconnect();
      retryLater();
      show(DISCONNECTED);
      show(CONNECTING);
    }
  }

  private void connect(Packet keyframe) {
    try {
      sink = RtmpSink.open(url, ioTimeout);
      muxer = new FlvMuxer(H264.withParameterSets(keyframe.getConfig(), keyframe.getData()), audioConfig);
      baseUs = keyframe.getDtsUs();
      lastVideoDts = Long.MIN_VALUE;
      lastAudioDts = Long.MIN_VALUE;
      sink.write(muxer.drain());
      backoffMs = FIRST_BACKOFF.toMillis();
      log.info("job {}: pushing live to {}", jobId, Secrets.redactUrl(url));
      show(onhold.getAsBoolean() ? ONHOLD : PUBLISHING);
    } catch (IOException | RuntimeException e) {
      log.warn("job {}: cannot push to {}: {}; trying again in {} ms", jobId, Secrets.redactUrl(url),
          Secrets.redactUrl(e.getMessage()), backoffMs);
      disconnect();
      retryLater();
      show(DISCONNECTED);
      show(CONNECTING);
    }
  }

  private void retryLater() {
    nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
    backoffMs = Math.min(maxBackoff.toMillis(), backoffMs * 2);
  }

  private void disconnect() {
    if (muxer != null) {
      muxer.close();
      muxer = null;
    }
    if (sink != null) {
      sink.close();
      sink = null;
    }
  }

  private void showHold() {
    boolean hold = onhold.getAsBoolean();
    if (hold != shownHold) {
      shownHold = hold;
      if (hold) {
        show(ONHOLD);
      } else if (muxer != null) {
        show(PUBLISHING);
      } else {
        show(CONNECTING);
      }
    }
  }

  private void show(String state) {
    if (state.equals(shown)) {
      return;
    }
    shown = state;
    try {
      status.changed(url, state);
    } catch (RuntimeException e) {
      log.warn("job {}: RTMP status not reported: {}", jobId, e.toString());
    }
  }
}
