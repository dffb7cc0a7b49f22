package io.capstan.ingest.source;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;

import io.capstan.ingest.publish.UidFrames;
import io.capstan.ingest.timeline.JobTimeline;
import io.capstan.runtime.config.Secrets;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one uid's stream on its own thread and publishes it on the job timeline. A live stream that
 * is lost (read error, or its end) is reported stopped and reopened with exponential backoff; a file
 * or generated source that ends is the uid leaving.
 */
public final class SourceReader {

  /** What the job learns from its readers. */
  public interface Listener {
    /** Something the user should know (a source that does not open); may repeat after recovery. */
    void problem(String uid, String message);

    /** The reader's thread is done (the uid left, or the reader was stopped). */
    void ended(String uid);
  }

  /** Whether the job currently records a uid's audio or video (subscriptions may change). */
  public interface MediaFilter {
    boolean wants(String uid, MediaKind kind);
  }

  private enum Outcome { ENDED, STOPPED, FAILED }

  private static final Logger log = LoggerFactory.getLogger(SourceReader.class);
  private static final long DROPPED_LOG_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long FIRST_BACKOFF_MS = 500;

  private final StreamSpec stream;
  private final StreamOpener opener;
  private final UidFrames out;
  private final JobTimeline timeline;
  private final JobTimeline.Lane lane;
  private final LateSkip lateSkip;
  private final MediaFilter filter;
  private final Listener listener;
  private final long maxBackoffMs;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean announceLeave = true;
  private volatile boolean connected;

  /** @param lateSkip how far behind the wall clock a composite source stops publishing pictures (0: never) */
  public SourceReader(StreamSpec stream, StreamOpener opener, UidFrames out, JobTimeline timeline,
                      MediaFilter filter, Listener listener, Duration maxBackoff, Duration lateSkip) {
    this.lateSkip = new LateSkip(stream.fps() > 0 && !timeline.fast() ? lateSkip.toNanos() / 1000 : 0);
    this.stream = stream;
    this.opener = opener;
    this.out = out;
    this.timeline = timeline;
    this.lane = timeline.lane();
    this.filter = filter;
    this.listener = listener;
    this.maxBackoffMs = Math.max(FIRST_BACKOFF_MS, maxBackoff.toMillis());
    this.thread = new Thread(this::run, "source-" + out.uid());
    this.thread.setDaemon(true);
  }

  public String uid() {
    return stream.uid();
  }

  public StreamSpec stream() {
    return stream;
  }

  public void start() {
    lane.starting();
    thread.start();
  }

  /** Asks the reader to stop; with {@code announceLeave} false (job handed over) it leaves no trace. */
  public void stop(boolean announceLeave) {
    this.announceLeave = announceLeave;
    stop.countDown();
  }

  public boolean await(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    return !thread.isAlive();
  }

  /** True while the stream is open (what maxIdleTime watches). */
  public boolean connected() {
    return connected;
  }

  private void run() {
    String reason = "stopped";
    long backoffMs = FIRST_BACKOFF_MS;
    boolean reported = false;
    try {
      while (!stopping()) {
        Outcome outcome;
        try {
          outcome = open();
          reported = false;
        } catch (FrameGrabber.Exception | RuntimeException e) {
          outcome = Outcome.FAILED;
          String why = Secrets.redactUrl(plain(e.getMessage()));
          log.warn("uid '{}': {} failed: {}", uid(), Secrets.redactUrl(stream.url().url()), why);
          if (!reported) {
            reported = true;
            listener.problem(uid(), "uid " + uid() + ": cannot read " + Secrets.redactUrl(stream.url().url()) + ": "
                + why + hint());
          }
        } finally {
          connected = false;
          lane.release();
        }
        if (outcome == Outcome.STOPPED || stopping()) {
          break;
        }
        if (stream.url().fileLike()) {
          reason = outcome == Outcome.ENDED ? "ended" : "failed";
          break;
        }
        stopReceiving("lost");
        if (outcome == Outcome.ENDED) {
          backoffMs = FIRST_BACKOFF_MS; // the peer closed cleanly: it may simply republish
        }
        if (stop.await(backoffMs, TimeUnit.MILLISECONDS)) {
          break;
        }
        backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
      }
      if (announceLeave) {
        out.leave(reason);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("uid '{}': reader failed", uid(), e);
    } finally {
      listener.ended(uid());
    }
  }

  /**
   * One session of the stream: a WHIP publisher of this process or a WHEP endpoint through WebRTC,
   * anything else (a publisher of another process through its media relay included) through FFmpeg.
   */
  private Outcome open() throws FrameGrabber.Exception, InterruptedException {
    Optional<io.capstan.webrtc.feed.Feed> local = RtcInput.localFeed(stream.url());
    if (local.isPresent() || stream.url().whep()) {
      if (stream.url().whep() && stream.policy() != null) {
        try {
          stream.policy().resolve(stream.url()); // right before the offer, as for rtmps
        } catch (io.capstan.runtime.net.RefusedAddressException e) {
          throw new FrameGrabber.Exception("source not allowed: " + e.getMessage());
        }
      }
      try (RtcInput input = local.isPresent() ? RtcInput.of(local.get(), stream, opener.maxPixels())
          : RtcInput.whep(stream, opener.rtcSettings(), opener.ioTimeout(), opener.maxPixels())) {
        connected = true;
        log.info("uid '{}' opened {}", uid(), local.isPresent() ? "its WHIP publisher (in this process)"
            : Secrets.redactUrl(stream.url().url()));
        return rtc(input);
      }
    }
    try (FFmpegFrameGrabber grabber = opener.open(stream)) {
      connected = true;
      log.info("uid '{}' opened {}", uid(), Secrets.redactUrl(stream.url().url()));
      return session(grabber);
    }
  }

  /**
   * Decoded WebRTC media to capstan.frames. A session with no media for the I/O timeout, or whose
   * peer failed or left, is lost (and reopened with backoff, like any live stream).
   */
  private Outcome rtc(RtcInput input) throws FrameGrabber.Exception, InterruptedException {
    if (!input.audio() && !input.video()) {
      throw new FrameGrabber.Exception("the publisher sends no " + (stream.audio() && stream.video()
          ? "audio or video" : stream.audio() ? "audio" : "video") + " to record");
    }
    SessionClock clock = new SessionClock(input.audio(), input.video());
    FrameThinning thinning = new FrameThinning(stream.fps());
    long silenceNanos = opener.ioTimeout().toNanos();
    long lastNanos = System.nanoTime();
    long droppedSeen = 0;
    long droppedSaidNanos = System.nanoTime() - DROPPED_LOG_NANOS;
    while (!stopping()) {
      RtcInput.Item item = input.poll(200);
      // Checked at every item: libwebrtc's audio device plays silence for a peer that is gone.
      String failure = input.failure();
      if (failure != null) {
        throw new FrameGrabber.Exception(failure);
      }
      if (item == null) {
        if (System.nanoTime() - lastNanos > silenceNanos) {
          throw new FrameGrabber.Exception("no media for " + opener.ioTimeout().toSeconds() + " s");
        }
        continue;
      }
      lastNanos = System.nanoTime();
      // Said at most every few seconds: a reader that is behind stays behind for a while.
      if (input.dropped() > droppedSeen && System.nanoTime() - droppedSaidNanos >= DROPPED_LOG_NANOS) {
        log.warn("uid '{}': {} pictures or sound blocks dropped, this reader was behind (is the machine overloaded?)",
            uid(), input.dropped() - droppedSeen);
        droppedSeen = input.dropped();
        droppedSaidNanos = System.nanoTime();
      }
      MediaKind kind = item.video() != null ? MediaKind.VIDEO : MediaKind.AUDIO;
      long ts = clock.frameTime(item.arrivalUs());
      if (!lane.pace(ts, stop)) {
        return Outcome.STOPPED;
      }
      if (!wanted(kind, ts)) {
        continue;
      }
      if (kind == MediaKind.VIDEO) {
        if (!thinning.keep(ts) || tooLate(ts)) {
          out.skipped(kind, ts);
          continue;
        }
        out.video(ts, item.video());
      } else {
        out.audio(ts, item.audio());
      }
    }
    return Outcome.STOPPED;
  }

  /** JavaCV's message without its advice to the programmer, which means nothing to a user. */
  private static String plain(String message) {
    return String.valueOf(message).replace(" (Has setFormat() been called?)", "")
        .replace(" (For more details, make sure FFmpegLogCallback.set() has been called.)", "");
  }

  /**
   * FFmpeg says only "Input/output error" when an SRT listener refuses the handshake, which is
   * what a wrong passphrase or key length looks like from the caller's side.
   */
  private String hint() {
    if (!stream.url().scheme().equals("srt")) {
      return "";
    }
    return stream.options().containsKey("passphrase")
        ? " (the SRT peer is unreachable or refused the handshake: check that decryption.secret is the stream's "
            + "passphrase and that the stream uses AES-" + Integer.parseInt(stream.options().get("pbkeylen")) * 8
            + " as decryption.mode says; still retrying)"
        : " (the SRT peer is unreachable, or the stream is encrypted and the job has no decryption settings; "
            + "still retrying)";
  }

  /** See {@link LateSkip}; says so in the log when it starts and stops. */
  private boolean tooLate(long ts) {
    boolean was = lateSkip.skipping();
    long behindUs = timeline.wallUs() - ts;
    boolean skip = lateSkip.skip(behindUs);
    if (skip && !was) {
      log.warn("uid '{}' is {} ms behind the wall clock (is the machine overloaded?): its pictures are skipped until"
          + " it catches up", uid(), behindUs / 1000);
    } else if (was && !skip) {
      log.info("uid '{}' caught up with the wall clock: its pictures are published again", uid());
    }
    return skip;
  }

  private boolean stopping() {
    return stop.getCount() == 0;
  }

  private Outcome session(FFmpegFrameGrabber grabber) throws FrameGrabber.Exception, InterruptedException {
    boolean audio = stream.audio() && grabber.hasAudio();
    boolean video = stream.video() && grabber.hasVideo();
    if (!audio && !video) {
      throw new FrameGrabber.Exception("the stream has no " + (stream.audio() && stream.video() ? "audio or video"
          : stream.audio() ? "audio" : "video") + " to record");
    }
    int rotation = video ? PictureRotation.clockwiseDegrees(grabber.getDisplayRotation()) : 0;
    // A sideways picture must be turned upright, which means decoding it: HLS carries no display matrix.
    if (stream.passthrough() && rotation == 0) {
      Optional<PassthroughTracks> tracks = PassthroughTracks.open(grabber.getFormatContext(), audio, video);
      if (tracks.isPresent()) {
        try (PassthroughTracks t = tracks.get()) {
          return passthrough(grabber, t);
        }
      }
    }
    try (PictureRotation upright = PictureRotation.open(rotation, grabber.getImageWidth(), grabber.getImageHeight(),
        grabber.getFrameRate())) {
      if (rotation != 0) {
        log.info("uid '{}': pictures turned {} degrees clockwise, as the source's display matrix says", uid(),
            rotation);
      }
      return decoded(grabber, audio, video, upright);
    }
  }

  /** Decoded frames to capstan.frames: composite jobs, and sources whose codecs HLS cannot carry. */
  private Outcome decoded(FFmpegFrameGrabber grabber, boolean audio, boolean video, PictureRotation upright)
      throws FrameGrabber.Exception, InterruptedException {
    SessionClock clock = new SessionClock(audio, video);
    FrameThinning thinning = new FrameThinning(stream.fps());
    while (!stopping()) {
      // Not decoding the kinds the job never records saves the CPU a decoder would spend.
      Frame frame = grabber.grabFrame(audio, video, true, false, false);
      if (frame == null) {
        return Outcome.ENDED;
      }
      MediaKind kind = frame.image != null ? MediaKind.VIDEO : frame.samples != null ? MediaKind.AUDIO : null;
      if (kind == null) {
        continue;
      }
      long ts = clock.frameTime(frame.timestamp);
      if (!lane.pace(ts, stop)) {
        return Outcome.STOPPED;
      }
      if (!wanted(kind, ts)) {
        continue;
      }
      if (kind == MediaKind.VIDEO) {
        if (!thinning.keep(ts) || tooLate(ts)) {
          out.skipped(kind, ts); // never shown: superseded before the next instant, or behind the mixer
          continue;
        }
        out.video(ts, FrameConversion.video(upright == null ? frame : upright.upright(frame)));
      } else {
        out.audio(ts, FrameConversion.audio(frame));
      }
    }
    return Outcome.STOPPED;
  }

  /**
   * Untouched packets to capstan.packets (individual jobs): H.264/H.265 as Annex B, AAC raw, their
   * times moved onto the job timeline as they are (B-frame reordering kept); audio HLS cannot carry
   * is decoded to capstan.frames. After (re)subscribing, video waits for a keyframe: a reader of
   * the packets cannot start mid-GOP.
   */
  private Outcome passthrough(FFmpegFrameGrabber grabber, PassthroughTracks tracks)
      throws FrameGrabber.Exception, InterruptedException {
    log.info("uid '{}': passing through {}{}", uid(), tracks.passesVideo() ? "video" : "",
        tracks.passesAudio() ? (tracks.passesVideo() ? " and audio" : "audio")
            : tracks.decodesAudio() ? " (audio decoded)" : "");
    SessionClock clock = new SessionClock(tracks.passesAudio() || tracks.decodesAudio(), tracks.passesVideo());
    boolean[] awaitingKey = {true, true};
    PassthroughTracks.Handler handler = new PassthroughTracks.Handler() {
      @Override
      public void accept(PacketFilter.Out p) throws InterruptedException {
        int k = p.kind().ordinal();
        PacketFilter filter = tracks.filter(p.kind());
        long dts = clock.packetTime(p.dtsUs() != Long.MIN_VALUE ? p.dtsUs() : p.ptsUs(), p.kind());
        long pts = p.ptsUs() != Long.MIN_VALUE ? clock.packetTime(p.ptsUs(), p.kind()) : dts;
        if (!lane.pace(dts, stop)) {
          return;
        }
        if (!wanted(p.kind(), dts)) {
          awaitingKey[k] = true;
          return;
        }
        if ((awaitingKey[k] && !p.key()) || !filter.ready()) {
          return;
        }
        awaitingKey[k] = false;
        out.packet(Packet.newBuilder()
            .setKind(p.kind())
            .setPtsUs(pts)
            .setDtsUs(dts)
            .setDurationUs(p.durationUs())
            .setKey(p.key())
            .setConfig(p.key() ? filter.config() : null)
            .setData(ByteBuffer.wrap(p.data()))
            .build());
      }

      @Override
      public void accept(long ptsUs, AudioFrame frame) throws InterruptedException {
        long ts = clock.frameTime(ptsUs != Long.MIN_VALUE ? ptsUs : clock.lastSourceUs());
        if (lane.pace(ts, stop) && wanted(MediaKind.AUDIO, ts)) {
          out.audio(ts, frame);
        }
      }
    };
    while (!stopping()) {
      AVPacket packet = grabber.grabPacket();
      if (packet == null) {
        return Outcome.ENDED;
      }
      try {
        MediaKind kind = tracks.kindOf(packet);
        if (kind != null) {
          tracks.read(packet, kind, handler);
        }
      } finally {
        av_packet_unref(packet);
      }
    }
    return Outcome.STOPPED;
  }

  /** Whether the job records {@code kind} now; says so downstream when that changes. */
  private boolean wanted(MediaKind kind, long ts) throws InterruptedException {
    boolean wanted = filter.wants(uid(), kind);
    out.setReceiving(kind, wanted, ts, wanted ? null : "unsubscribed");
    return wanted;
  }

  /**
   * One session's mapping from the source's clock onto the job timeline: the first media lands at
   * the job's current position (REALTIME) or 0 (FAST) and is when the uid joins.
   */
  private final class SessionClock {
    private final boolean audio;
    private final boolean video;
    private long base = Long.MIN_VALUE;
    private long offset;
    private long lastSourceUs;

    SessionClock(boolean audio, boolean video) {
      this.audio = audio;
      this.video = video;
    }

    /** A decoded frame's time: never before the session's first. */
    long frameTime(long sourceUs) throws InterruptedException {
      start(sourceUs);
      lastSourceUs = sourceUs;
      return offset + Math.max(0, sourceUs - base);
    }

    /**
     * A packet's time, kept exact: decoding order may put a packet a little before the first one
     * read (B-frames, the other kind), so it is not clamped.
     */
    long packetTime(long sourceUs, MediaKind kind) throws InterruptedException {
      start(sourceUs);
      lastSourceUs = Math.max(lastSourceUs, sourceUs);
      return offset + sourceUs - base;
    }

    long lastSourceUs() {
      return lastSourceUs;
    }

    private void start(long sourceUs) throws InterruptedException {
      if (base != Long.MIN_VALUE) {
        return;
      }
      base = sourceUs;
      offset = timeline.arrivalUs();
      out.join(offset);
      startReceiving(audio, video, offset);
    }
  }

  private void startReceiving(boolean audio, boolean video, long offset) throws InterruptedException {
    if (audio && filter.wants(uid(), MediaKind.AUDIO)) {
      out.setReceiving(MediaKind.AUDIO, true, offset, null);
    }
    if (video && filter.wants(uid(), MediaKind.VIDEO)) {
      out.setReceiving(MediaKind.VIDEO, true, offset, null);
    }
  }

  private void stopReceiving(String reason) throws InterruptedException {
    out.setReceiving(MediaKind.AUDIO, false, 0, reason);
    out.setReceiving(MediaKind.VIDEO, false, 0, reason);
  }
}
