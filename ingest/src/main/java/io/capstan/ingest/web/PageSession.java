package io.capstan.ingest.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One web page being rendered for a recording, isolated from every other: its own Xvfb display,
 * PulseAudio server and Chromium profile, all under one temporary directory.
 *
 * <p>Use: {@link #start} (engine up, blank page), {@link #load} (navigate; a
 * {@link PageLoadException} means event 71 code 5), optionally {@link #awaitReady} /
 * {@link #reload}, then {@link #startCapture} for the picture and sound; watch {@link #failure()}
 * for a crash; {@link #close()} stops the capture and kills every process of the session.
 */
public final class PageSession implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PageSession.class);
  private static final String READY_BINDING = "__capstanNotifyReady";
  /** Defines navigator.notifyReady() in every document before the page's own scripts run. */
  private static final String READY_SCRIPT = "(() => {"
      + " const notify = window." + READY_BINDING + ";"
      + " Object.defineProperty(Navigator.prototype, 'notifyReady', {configurable: true,"
      + "   value: function notifyReady() { (window." + READY_BINDING + " || notify)('ready'); }});"
      + "})();";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<PageSession> OPEN = ConcurrentHashMap.newKeySet();

  static {
    // A JVM that exits normally (or on SIGTERM) leaves no browser, display or sound server behind;
    // one that was killed is cleaned up by the next one (OrphanReaper).
    Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(OPEN).forEach(PageSession::close),
        "page-session-closer"));
    reapOrphans();
  }

  /**
   * Kills the browsers, displays and sound servers of page sessions whose JVM died without
   * closing them (runs once when this class loads; a service may call it at start as well).
   *
   * @return how many orphaned sessions were cleaned up
   */
  public static int reapOrphans() {
    return OrphanReaper.reap(Path.of(System.getProperty("java.io.tmpdir")));
  }

  private final PageOptions options;
  private final Path dir;
  private final UtcClock clock = new UtcClock();
  private final CompletableFuture<PageFailure> failure = new CompletableFuture<>();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private VirtualDisplay display;
  private SoundServer sound;
  private ChromiumBrowser browser;
  private DevToolsClient devTools;
  private volatile CompletableFuture<Void> ready = new CompletableFuture<>();
  private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();
  private volatile PageCapture capture;
  private volatile boolean closing;

  private PageSession(PageOptions options, Path dir) {
    this.options = options;
    this.dir = dir;
  }

  /**
   * Starts the display, the sound server and the browser on a blank page.
   *
   * @throws IOException when one of them does not start (event 71 code 3)
   */
  public static PageSession start(WebCaptureTools tools, PageOptions options) throws IOException {
    PageSession session = new PageSession(options, Files.createTempDirectory(OrphanReaper.PREFIX));
    OPEN.add(session);
    try {
      session.startEngine(tools);
      return session;
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private void startEngine(WebCaptureTools tools) throws IOException {
    display = VirtualDisplay.start(tools.xvfb(), options.width(), options.height(), dir.resolve("xvfb.log"));
    resources.add(display);
    watch(display.process(), PageFailure.Kind.ENGINE_EXITED);
    recordOwner();
    sound = SoundServer.start(tools.pulseaudio(), dir.resolve("pulse"), dir.resolve("pulse.log"));
    resources.add(sound);
    watch(sound.process(), PageFailure.Kind.ENGINE_EXITED);
    recordOwner();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    browser = ChromiumBrowser.start(tools.chromium(), options, dir, display, sound, http, dir.resolve("chromium.log"));
    resources.add(browser);
    watch(browser.process(), PageFailure.Kind.BROWSER_EXITED);
    recordOwner();
    devTools = DevToolsClient.connect(http, browser.pageEndpoint(), COMMAND_TIMEOUT);
    resources.add(devTools);
    devTools.closed().thenAccept(reason -> fail(PageFailure.Kind.BROWSER_EXITED, "DevTools " + reason));
    devTools.on("Inspector.targetCrashed", params -> fail(PageFailure.Kind.PAGE_CRASHED, "the page crashed"));
    devTools.on("Runtime.bindingCalled", params -> {
      if (READY_BINDING.equals(params.path("name").asText())) {
        ready.complete(null);
      }
    });
    devTools.on("Page.loadEventFired", params -> loaded.complete(null));
    call("Inspector.enable", Map.of());
    call("Page.enable", Map.of());
    // Runtime.bindingCalled (notifyReady) is only sent while the Runtime domain is enabled.
    call("Runtime.enable", Map.of());
    call("Runtime.addBinding", Map.of("name", READY_BINDING));
    call("Page.addScriptToEvaluateOnNewDocument", Map.of("source", READY_SCRIPT));
    // The window is already width × height; the override pins the layout viewport to it
    // whatever the window ends up as, and carries the mobile rules when asked.
    call("Emulation.setDeviceMetricsOverride", Map.of("width", options.width(), "height", options.height(),
        "deviceScaleFactor", 1, "mobile", options.mobile()));
    if (options.mobile()) {
      call("Emulation.setUserAgentOverride", Map.of("userAgent", PageOptions.MOBILE_USER_AGENT));
      call("Emulation.setTouchEmulationEnabled", Map.of("enabled", true, "maxTouchPoints", 5));
    }
    LOG.info("page session on display {} ({}x{} @{} fps{}) in {}", display.name(), options.width(),
        options.height(), options.fps(), options.mobile() ? ", mobile" : "", dir);
  }

  /**
   * Navigates to the page's URL and waits until the browser has its answer (committed).
   *
   * @throws PageLoadException when the URL did not answer within {@code timeout}, the
   *     navigation failed (refused, unknown host, TLS...) or it answered an HTTP error (4xx, 5xx)
   */
  public void load(Duration timeout) throws IOException {
    ready = new CompletableFuture<>();
    loaded = new CompletableFuture<>();
    JsonNode result;
    try {
      result = devTools.send("Page.navigate", Map.of("url", options.url().toString()))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call("Page.stopLoading", Map.of());
      throw new PageLoadException("the page did not answer within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new IOException("navigation failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while loading the page", e);
    }
    String error = result.path("errorText").asText("");
    if (!error.isEmpty()) {
      throw new PageLoadException("the page did not load: " + error);
    }
    // An HTTP error page is a successful navigation to Chromium; the document knows its status.
    int status = evaluate("performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0").asInt(0);
    if (status >= 400) {
      throw new PageLoadException("the page answered HTTP " + status);
    }
  }

  private JsonNode evaluate(String expression) throws IOException {
    try {
      return devTools.send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true))
          .get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).path("result").path("value");
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot read the page's state: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the page's state", e);
    }
  }

  /** Reloads the page (bypassing the cache); {@code notifyReady()} must be called again. */
  public void reload() throws IOException {
    ready = new CompletableFuture<>();
    loaded = new CompletableFuture<>();
    call("Page.reload", Map.of("ignoreCache", true));
  }

  /**
   * Waits for the current document to call {@code window.navigator.notifyReady()}.
   *
   * @return false when it has not within {@code timeout}
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    try {
      CompletableFuture.anyOf(ready, failure).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return ready.isDone();
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return false;
    }
  }

  /** Completes when the current document's load event fires. */
  public CompletableFuture<Void> loaded() {
    return loaded;
  }

  /** Completes (once) when the page crashes or a process of the session dies while it runs. */
  public CompletableFuture<PageFailure> failure() {
    return failure;
  }

  /** Starts grabbing the picture and sound; one capture at a time, closed by {@link #close()}. */
  public synchronized PageCapture startCapture(PageMediaListener listener) throws FrameGrabber.Exception {
    if (capture != null) {
      throw new IllegalStateException("this page session is already capturing");
    }
    capture = PageCapture.start("page" + display.name(), clock, newVideoGrabber(), newAudioGrabber(), options, listener);
    return capture;
  }

  /**
   * A new x11grab grabber of this session's viewport (I420, {@code fps}); the caller starts it
   * (with {@code start(false)}: probing buffers pictures) and closes it.
   */
  public FFmpegFrameGrabber newVideoGrabber() {
    return PageCapture.videoGrabber(display.name(), options);
  }

  /** A new pulse grabber of this session's sound (s16, 48 kHz, stereo); the caller starts and closes it. */
  public FFmpegFrameGrabber newAudioGrabber() {
    return PageCapture.audioGrabber(sound);
  }

  public PageOptions options() {
    return options;
  }

  /** The X display name, e.g. {@code :3}. */
  public String displayName() {
    return display.name();
  }

  /** The CPU time used so far by the session's living processes (Chromium's tree, Xvfb, PulseAudio). */
  public Duration processCpuTime() {
    Duration total = Duration.ZERO;
    for (ChildProcess process : List.of(display.process(), sound.process(), browser.process())) {
      for (ProcessHandle handle : process.tree()) {
        total = total.plus(handle.info().totalCpuDuration().orElse(Duration.ZERO));
      }
    }
    return total;
  }

  /** Every living process of the session (for tests that prove none survives). */
  List<ProcessHandle> processes() {
    List<ProcessHandle> all = new ArrayList<>();
    for (AutoCloseable resource : resources) {
      if (resource instanceof VirtualDisplay d) {
        all.addAll(d.process().tree());
      } else if (resource instanceof SoundServer s) {
        all.addAll(s.process().tree());
      } else if (resource instanceof ChromiumBrowser b) {
        all.addAll(b.process().tree());
      }
    }
    return all;
  }

  Path directory() {
    return dir;
  }

  /** Crashes the page's renderer, as a page bug would (for tests). */
  void crashPage() {
    devTools.send("Page.crash");
  }

  private void call(String method, Map<String, ?> params) throws IOException {
    try {
      devTools.send(method, params).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException(method + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(method + " got no answer in " + COMMAND_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during " + method, e);
    }
  }

  /** Names this JVM and the processes started so far, for {@link OrphanReaper}. */
  private void recordOwner() throws IOException {
    List<ProcessHandle> roots = new ArrayList<>();
    for (AutoCloseable resource : resources) {
      if (resource instanceof VirtualDisplay d) {
        roots.add(d.process().process().toHandle());
      } else if (resource instanceof SoundServer s) {
        roots.add(s.process().process().toHandle());
      } else if (resource instanceof ChromiumBrowser b) {
        roots.add(b.process().process().toHandle());
      }
    }
    OrphanReaper.record(dir, roots);
  }

  private void watch(ChildProcess process, PageFailure.Kind kind) {
    process.process().onExit().thenAccept(p -> fail(kind, process.name() + " exited with " + p.exitValue()));
  }

  private void fail(PageFailure.Kind kind, String detail) {
    if (!closing && failure.complete(new PageFailure(kind, detail))) {
      LOG.warn("page session on {} failed: {}", display == null ? "?" : display.name(), detail);
    }
  }

  /** Stops the capture, then kills Chromium, PulseAudio and Xvfb (whole trees), then deletes the directory. */
  @Override
  public synchronized void close() {
    if (closing) {
      return;
    }
    closing = true;
    if (capture != null) {
      capture.close();
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing the page session: {}", e.getMessage());
      }
    }
    deleteTree(dir);
    OPEN.remove(this);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", dir, e.getMessage());
    }
  }
}
