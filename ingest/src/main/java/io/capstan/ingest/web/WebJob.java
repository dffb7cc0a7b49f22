package io.capstan.ingest.web;

import io.capstan.ingest.job.JobContext;
import io.capstan.ingest.publish.JobFrames;
import io.capstan.ingest.publish.UidFrames;
import io.capstan.runtime.config.Secrets;
import io.capstan.runtime.events.EventModule;
import io.capstan.runtime.events.Events;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.AudioStreamStateChanged;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.VideoFrame;
import io.capstan.schemas.VideoStreamStateChanged;
import io.capstan.schemas.WebFile;
import io.capstan.schemas.WebRecorderReload;
import io.capstan.schemas.WebRecorderStarted;
import io.capstan.schemas.WebRecorderStopped;
import io.capstan.schemas.WebRecording;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page side of one web recording ({@code mode=web}) inside its ingest job: starts the job's own
 * {@link PageSession}, loads the page, waits for {@code notifyReady()} when asked, and publishes
 * the page's picture and sound as uid {@value #PAGE_UID} on capstan.frames exactly like any other
 * source (JOINED, VIDEO/AUDIO_RECEIVING, frames, watermarks, LEFT), so the mixer, segmenter and
 * uploader need nothing special.
 *
 * <p>Time: the job timeline of a web recording is its recorded time ({@link RecordedTime}): it
 * starts at the page's first picture and leaves out every hold, so the files hold only what was
 * recorded. The job's timeline therefore follows the published media, not the wall clock (the
 * owning job builds it media-driven).
 *
 * <p>Ending: every way a web recording ends sends event 71 with its code (0 Stop, 1
 * maxRecordingHour, 3 engine, 4 notifyReady never called, 5 URL failed, 6 page or engine died) and
 * then the job's usual end (EndOfJob, RecorderLeave, spec running=false). Failures found by the
 * start-up thread or the session are handed to the job's control thread, which ends the job and
 * calls {@link #finish()}.
 */
public final class WebJob implements PageMediaListener {

  /** The page's uid on capstan.frames (the gateway names the page's source so as well). */
  public static final String PAGE_UID = "web";
  /** recorder_leave leaveCode: the reference's timer bit, for maxRecordingHour. */
  static final int LEAVE_TIMER = 8;
  /** recorder_leave leaveCode of a recording that failed: none of the reference's reasons. */
  static final int LEAVE_FAILED = 0;
  private static final Logger log = LoggerFactory.getLogger(WebJob.class);
  private static final Duration STARTER_JOIN = Duration.ofSeconds(15);

  /** How a web job gets its programs and how long a page may take to answer. */
  public record Settings(Supplier<WebCaptureTools> tools, Duration loadTimeout) {
    public static Settings defaults() {
      return new Settings(WebCaptureTools::find, Duration.ofSeconds(30));
    }
  }

  private final JobContext ctx;
  private final JobFrames frames;
  private final Supplier<JobSpec> spec;
  private final IntConsumer end;
  private final Settings settings;
  private final UtcClock clock = new UtcClock();
  private final AtomicReference<Ending> ending = new AtomicReference<>();
  private volatile RecordedTime time;
  private volatile UidFrames out;
  private volatile long recorderStartUtcMs;
  private long startJobUs;
  private Thread starter;
  // guarded by this
  private PageSession session;
  private boolean closed;
  private boolean finished;

  private record Ending(WebStopCode code, String details) {
  }

  /**
   * @param spec the job's current spec
   * @param end ends the job with a recorder_leave leaveCode (idempotent; called on the job's control thread)
   */
  public WebJob(JobContext ctx, JobFrames frames, Supplier<JobSpec> spec, IntConsumer end, Settings settings) {
    this.ctx = ctx;
    this.frames = frames;
    this.spec = spec;
    this.end = end;
    this.settings = settings;
  }

  /**
   * Starts the page on its own thread (starting a browser and waiting for the page can take a
   * while; the command loop must not wait). A job resumed after a handover continues at the wall
   * clock's position, which is never before what the previous owner published.
   */
  public synchronized void open(boolean restored) {
    startJobUs = restored ? Math.max(0, frames.timeline().wallUs()) : 0;
    time = new RecordedTime(startJobUs, web().getOnhold());
    starter = new Thread(this::start, "web-" + spec.get().getJobId());
    starter.setDaemon(true);
    starter.start();
  }

  /** Puts the recording on hold or resumes it (Update with onhold); the page keeps running. */
  public void onhold(boolean hold) {
    RecordedTime t = time;
    if (t == null) {
      return;
    }
    long now = clock.utcMicros();
    if (hold ? t.hold(now) : t.resume(now)) {
      log.info("job {}: web recording {}", spec.get().getJobId(), hold ? "on hold" : "resumed");
    }
  }

  /** maxRecordingHour: called about twice a second by the job's housekeeping. */
  public void housekeeping() {
    long maxUs = TimeUnit.HOURS.toMicros(Math.max(1, web().getMaxRecordingHour()));
    if (frames.timeline().wallUs() >= maxUs) {
      fail(WebStopCode.MAX_RECORDING_HOUR, "the recording ran for its maxRecordingHour of "
          + web().getMaxRecordingHour() + " h");
    }
  }

  /**
   * Ends the page side (once), on the job's end: stops the start-up, closes the session (capture,
   * browser, display, sound server), publishes LEFT and sends event 71 with how it ended.
   */
  public void finish() throws InterruptedException {
    PageSession toClose;
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      closed = true;
      toClose = session;
    }
    if (starter != null && starter != Thread.currentThread()) {
      starter.interrupt();
      starter.join(STARTER_JOIN.toMillis());
    }
    if (toClose != null) {
      toClose.close();
    }
    UidFrames o = out;
    if (o != null) {
      o.leave("web recording ended");
    }
    Ending how = ending.get() != null ? ending.get() : new Ending(WebStopCode.OK, "stopped");
    JobSpec current = spec.get();
    List<WebFile> files = recorderStartUtcMs == 0 ? List.of()
        : List.of(new WebFile(WebFileNames.playlist(current.getJobId(), current.getChannel()), recorderStartUtcMs));
    ctx.event(current, new WebRecorderStopped(how.code().code(), how.code().message(), how.details(), files));
    log.info("job {}: web recorder stopped: {} ({})", current.getJobId(), how.code().message(), how.details());
  }

  /** The partition moved to another instance: close the page without a trace (no LEFT, no event). */
  public void abandon() {
    PageSession toClose;
    synchronized (this) {
      finished = true;
      closed = true;
      toClose = session;
    }
    if (starter != null) {
      starter.interrupt();
    }
    if (toClose != null) {
      toClose.close();
    }
  }

  @Override
  public void onVideo(PageVideoFrame frame) {
    UidFrames o = out;
    if (o == null) {
      return;
    }
    RecordedTime t = time;
    t.firstPicture(frame.utcUs());
    long ts = t.jobUs(frame.utcUs());
    if (ts < 0) {
      return;
    }
    ByteBuffer source = frame.data().duplicate();
    byte[] copy = new byte[source.remaining()];
    source.get(copy);
    int[] s = frame.strides();
    publish(() -> o.video(ts, new VideoFrame(frame.width(), frame.height(), List.of(s[0], s[1], s[2]),
        ByteBuffer.wrap(copy))));
  }

  @Override
  public void onAudio(PageAudioChunk chunk) {
    UidFrames o = out;
    if (o == null) {
      return;
    }
    long[] part = time.soundPart(chunk.utcUs(), chunk.durationUs());
    if (part == null) {
      return;
    }
    int channels = chunk.channels();
    int frames = chunk.frames();
    int skip = (int) Math.min(frames, part[0] * chunk.sampleRate() / 1_000_000L);
    int keep = (int) Math.min(frames - skip, Math.round(part[2] * chunk.sampleRate() / 1e6));
    if (keep <= 0) {
      return;
    }
    ShortBuffer samples = chunk.samples().duplicate();
    samples.position(samples.position() + skip * channels).limit(samples.position() + keep * channels);
    byte[] data = new byte[keep * channels * 2];
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(samples);
    long ts = part[1];
    publish(() -> o.audio(ts, new AudioFrame(chunk.sampleRate(), channels, ByteBuffer.wrap(data))));
  }

  @Override
  public void onError(Exception error) {
    fail(WebStopCode.RECORDER_ERROR, "capture stopped: " + error.getMessage());
  }

  private interface Send {
    void run() throws InterruptedException;
  }

  private void publish(Send send) {
    try {
      send.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // A record Kafka refuses is lost; the page keeps being recorded.
      log.warn("job {}: a page record was not published: {}", spec.get().getJobId(), e.toString());
    }
  }

  private void start() {
    JobSpec current = spec.get();
    String jobId = current.getJobId();
    WebRecording web = web();
    Transcoding canvas = current.getTranscoding();
    PageSession started = null;
    try {
      PageOptions options;
      try {
        options = new PageOptions(URI.create(web.getUrl()), canvas == null ? 640 : canvas.getWidth(),
            canvas == null ? 360 : canvas.getHeight(), canvas == null ? 15 : canvas.getFps(), web.getMobile())
            .withProxy(ctx.opener().egressProxy(ctx.validator().sources()).orElse(null));
      } catch (IllegalArgumentException e) {
        // URI.create quotes the whole URL, secrets and all: say only what is wrong with it.
        fail(WebStopCode.ACCESS_URL_FAILED, "the page's url cannot be used: "
            + (e.getCause() instanceof URISyntaxException bad ? bad.getReason() + " at index " + bad.getIndex()
                : e.getMessage()));
        return;
      }
      WebCaptureTools tools = settings.tools().get();
      try {
        started = PageSession.start(tools, options);
      } catch (IOException e) {
        fail(WebStopCode.START_ENGINE_FAILED, "the browser, display or sound server did not start: " + e.getMessage());
        return;
      }
      synchronized (this) {
        if (closed) {
          started.close();
          return;
        }
        session = started;
      }
      started.failure().thenAccept(f -> fail(f.stopCode(), f.detail()));
      started.load(settings.loadTimeout());
      if (web.getReadyTimeoutSeconds() > 0) {
        Duration ready = Duration.ofSeconds(web.getReadyTimeoutSeconds());
        if (!started.awaitReady(ready)) {
          checkAlive(started);
          log.info("job {}: the page did not call notifyReady() within {} s: reloading it", jobId,
              ready.toSeconds());
          ctx.event(current, new WebRecorderReload("page_load_timeout"));
          started.reload();
          if (!started.awaitReady(ready)) {
            checkAlive(started);
            fail(WebStopCode.PAGE_LOAD_TIMEOUT, "the page did not call navigator.notifyReady() within "
                + ready.toSeconds() + " s, twice");
            return;
          }
        }
      }
      checkAlive(started);
      UidFrames o = frames.open(PAGE_UID, 1, ctx.maxInFlight(), this::stateChanged);
      o.join(startJobUs);
      o.setReceiving(MediaKind.VIDEO, true, startJobUs, null);
      o.setReceiving(MediaKind.AUDIO, true, startJobUs, null);
      out = o;
      synchronized (this) {
        if (closed) {
          return;
        }
        started.startCapture(this);
      }
      recorderStartUtcMs = System.currentTimeMillis();
      ctx.event(current, new WebRecorderStarted(recorderStartUtcMs));
      log.info("job {}: recording the page ({}x{} @{} fps{})", jobId, options.width(), options.height(),
          options.fps(), time.onHold() ? ", on hold" : "");
    } catch (WebToolsMissingException e) {
      fail(WebStopCode.START_ENGINE_FAILED, e.getMessage());
    } catch (PageLoadException e) {
      fail(WebStopCode.ACCESS_URL_FAILED, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // finish() interrupted the start: it closes the session and reports.
    } catch (Failed e) {
      // already reported
    } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
      fail(WebStopCode.START_ENGINE_FAILED, "the page's picture or sound could not be captured: " + e.getMessage());
    } catch (IOException e) {
      fail(WebStopCode.RECORDER_ERROR, "the page could not be driven: " + e.getMessage());
    } catch (RuntimeException e) {
      log.error("job {}: web recording failed to start", jobId, e);
      fail(WebStopCode.RECORDER_ERROR, "web recorder failed: " + e);
    }
  }

  private static final class Failed extends Exception {
    Failed() {
      super(null, null, false, false);
    }
  }

  /** The page died while we waited for it: its failure was reported already. */
  private static void checkAlive(PageSession session) throws Failed {
    if (session.failure().isDone()) {
      throw new Failed();
    }
  }

  private synchronized boolean closedNow() {
    return closed;
  }

  /**
   * Records why the recording ends (the first reason wins) and has the job end. {@code details} may
   * quote the page's URL (Chromium's or Java's words): it is redacted before it is logged or sent.
   */
  void fail(WebStopCode code, String why) {
    if (closedNow()) {
      return;
    }
    String details = Secrets.redactUrl(why);
    if (ending.compareAndSet(null, new Ending(code, details))) {
      if (code != WebStopCode.OK) {
        log.warn("job {}: web recording ends: {} ({})", spec.get().getJobId(), code.message(), details);
      }
      if (code == WebStopCode.START_ENGINE_FAILED) {
        // Also as an error: this machine lacks something (the message says what to install).
        ctx.event(spec.get(), Events.fatal(EventModule.WEB, code.code(), details));
      }
      int leave = code == WebStopCode.MAX_RECORDING_HOUR ? LEAVE_TIMER : LEAVE_FAILED;
      // Not on the calling thread: ending the job joins the start-up thread and the capture threads.
      ctx.control().execute(() -> end.accept(leave));
    }
  }

  private void stateChanged(String uid, MediaKind kind, boolean receiving, long utcMs) {
    int state = receiving ? 0 : 1;
    ctx.event(spec.get(), kind == MediaKind.AUDIO ? new AudioStreamStateChanged(uid, state, utcMs)
        : new VideoStreamStateChanged(uid, state, utcMs));
  }

  private WebRecording web() {
    WebRecording web = spec.get().getWeb();
    return web != null ? web : WebRecording.newBuilder().setUrl("about:blank").build();
  }
}
