package io.capstan.ingest.source;

import io.capstan.ingest.publish.UidFrames;
import io.capstan.ingest.timeline.JobTimeline;
import io.capstan.runtime.config.Secrets;
import io.capstan.schemas.MediaKind;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
  private static final long FIRST_BACKOFF_MS = 500;

  private final StreamSpec stream;
  private final StreamOpener opener;
  private final UidFrames out;
  private final JobTimeline timeline;
  private final MediaFilter filter;
  private final Listener listener;
  private final long maxBackoffMs;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean announceLeave = true;
  private volatile boolean connected;

  public SourceReader(StreamSpec stream, StreamOpener opener, UidFrames out, JobTimeline timeline,
                      MediaFilter filter, Listener listener, Duration maxBackoff) {
    this.stream = stream;
    this.opener = opener;
    this.out = out;
    this.timeline = timeline;
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
        try (FFmpegFrameGrabber grabber = opener.open(stream)) {
          connected = true;
          reported = false;
          log.info("uid '{}' opened {}", uid(), Secrets.redactUrl(stream.url().url()));
          outcome = session(grabber);
        } catch (FrameGrabber.Exception | RuntimeException e) {
          outcome = Outcome.FAILED;
          log.warn("uid '{}': {} failed: {}", uid(), Secrets.redactUrl(stream.url().url()), e.getMessage());
          if (!reported) {
            reported = true;
            listener.problem(uid(), "uid " + uid() + ": cannot read " + Secrets.redactUrl(stream.url().url()) + ": "
                + e.getMessage());
          }
        } finally {
          connected = false;
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
    long base = Long.MIN_VALUE;
    long offset = 0;
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
      if (base == Long.MIN_VALUE) {
        base = frame.timestamp;
        offset = timeline.arrivalUs();
        out.join(offset);
        startReceiving(audio, video, offset);
      }
      long ts = offset + Math.max(0, frame.timestamp - base);
      if (!timeline.pace(ts, stop)) {
        return Outcome.STOPPED;
      }
      boolean wanted = filter.wants(uid(), kind);
      out.setReceiving(kind, wanted, ts, wanted ? null : "unsubscribed");
      if (!wanted) {
        continue;
      }
      if (kind == MediaKind.VIDEO) {
        out.video(ts, FrameConversion.video(frame));
      } else {
        out.audio(ts, FrameConversion.audio(frame));
      }
    }
    return Outcome.STOPPED;
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
