package io.capstan.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.ingest.web.Recorded.Colour;
import io.capstan.ingest.web.Recorded.Picture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real Chromium, Xvfb and PulseAudio (installed by .ci/run); skipped only where they are absent.
 */
class PageSessionIT {

  private static final Duration LOAD = Duration.ofSeconds(20);
  private static final List<Colour> RGB = List.of(Colour.RED, Colour.GREEN, Colour.BLUE);

  private static WebCaptureTools tools;
  private static TestPages pages;

  @BeforeAll
  static void setUp() throws IOException {
    var found = WebCaptureTools.probe();
    assumeTrue(found.isPresent(), "needs chromium, Xvfb and pulseaudio: " + WebToolsMissingException.INSTALL_COMMAND);
    tools = found.get();
    pages = new TestPages();
  }

  @AfterAll
  static void tearDown() {
    if (pages != null) {
      pages.close();
    }
  }

  @Test
  void aCallersPageReachesNothingTheAddressRuleRefuses() throws Exception {
    // 127.0.0.2 stands for the operator's network; the page itself (127.0.0.1) is allowed.
    java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer internal = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.2"), 0), 0);
    internal.createContext("/", exchange -> {
      inside.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    internal.start();
    pages.reports().clear();
    try (io.capstan.runtime.net.EgressProxy proxy = new io.capstan.runtime.net.EgressProxy(
             io.capstan.runtime.net.AddressPolicy.refusing(a -> a.getHostAddress().equals("127.0.0.2")));
         PageSession session = PageSession.start(tools, PageOptions.of(pages.probeUrl("http://127.0.0.2:"
             + internal.getAddress().getPort() + "/secret"), 640, 360, 15).withProxy(proxy.url()))) {
      session.load(LOAD);
      Map<String, String> report = pages.reports().poll(30, TimeUnit.SECONDS);
      // The page loaded and reported through the proxy; its request inside got the proxy's 403 (opaque to
      // a no-cors fetch) and never reached the inside server.
      assertThat(report).as("the page loaded through the proxy and reported").isNotNull();
      assertThat(report).containsKey("probe");
      assertThat(proxy.refused()).isPositive();
      assertThat(inside).hasValue(0);
    } finally {
      internal.stop(0);
    }
  }

  @Test
  void recordsItsOwnPagesColoursAtTheRightTimesAndItsToneOnly() throws Exception {
    PageOptions rgbOptions = PageOptions.of(pages.url("colors=red,lime,blue&period=2000&tone=440&toneOn=1&ready=0"), 640, 360, 15);
    PageOptions yellowOptions = PageOptions.of(pages.url("colors=yellow&tone=880&ready=0"), 640, 360, 15);
    Recorded rgb = new Recorded();
    Recorded yellow = new Recorded();
    List<ProcessHandle> processes = new ArrayList<>();
    try (PageSession a = PageSession.start(tools, rgbOptions); PageSession b = PageSession.start(tools, yellowOptions)) {
      assertThat(a.displayName()).isNotEqualTo(b.displayName());
      a.load(LOAD);
      b.load(LOAD);
      assertThat(a.awaitReady(LOAD)).isTrue();
      assertThat(b.awaitReady(LOAD)).isTrue();
      PageCapture ca = a.startCapture(rgb);
      PageCapture cb = b.startCapture(yellow);
      await().atMost(20, TimeUnit.SECONDS).until(() -> span(rgb) >= 9_000_000 && span(yellow) >= 9_000_000);
      processes.addAll(a.processes());
      processes.addAll(b.processes());
      assertThat(ca.isRunning()).isTrue();
      assertThat(a.failure()).isNotDone();
    }
    assertThat(processes).hasSizeGreaterThan(4).noneMatch(ProcessHandle::isAlive);
    assertThat(rgb.errors).isEmpty();
    assertThat(yellow.errors).isEmpty();

    // Pictures: I420 at the viewport's size, about 15 per second.
    assertThat(rgb.pictures).allSatisfy(p -> {
      assertThat(p.width()).isEqualTo(640);
      assertThat(p.height()).isEqualTo(360);
      assertThat(p.bytes()).isEqualTo(640 * 360 * 3 / 2);
    });
    double seconds = span(rgb) / 1e6;
    assertThat((rgb.pictures.size() - 1) / seconds).isBetween(10.0, 15.5);
    assertThat(rgb.pictures).extracting(Picture::utcUs).isSorted();

    // The colour changes red -> green -> blue on the page's 2 s boundaries, within ±0.5 s.
    int changes = 0;
    for (int i = 1; i < rgb.pictures.size(); i++) {
      Picture before = rgb.pictures.get(i - 1);
      Picture now = rgb.pictures.get(i);
      if (before.centre() == now.centre()) {
        continue;
      }
      assertThat(now.centre()).isIn(RGB);
      long boundaryMs = Math.round(now.utcUs() / 1000.0 / 2000) * 2000;
      System.out.printf("colour change - boundary: %d ms%n", now.utcUs() / 1000 - boundaryMs);
      assertThat(now.utcUs() / 1000 - boundaryMs).as("colour change at %d", now.utcUs()).isBetween(-500L, 500L);
      assertThat(now.centre()).isEqualTo(expected(boundaryMs));
      changes++;
    }
    assertThat(changes).isGreaterThanOrEqualTo(3);
    for (Picture p : rgb.pictures) {
      long intoPeriod = (p.utcUs() / 1000) % 2000;
      if (intoPeriod >= 500 && intoPeriod <= 1500) {
        assertThat(p.centre()).as("picture at %d", p.utcUs()).isEqualTo(expected(p.utcUs() / 1000));
      }
    }
    // The other page's picture is never seen here, and this page's is never seen there.
    assertThat(yellow.pictures).hasSizeGreaterThan(60).allMatch(p -> p.centre() == Colour.YELLOW);

    // Sound: continuous 48 kHz, starting with the pictures, with this page's tone only.
    short[] a = rgb.leftChannel();
    short[] b = yellow.leftChannel();
    System.out.printf("pictures %.3f s from %d; sound %.3f s from %d to %d%n", seconds, rgb.pictures.get(0).utcUs(),
        a.length / 48_000.0, rgb.firstAudioUtcUs(), rgb.lastAudioEndUtcUs());
    assertThat((double) a.length / 48_000).isBetween(seconds - 0.5, seconds + 0.5);
    assertThat(Math.abs(rgb.deliveredFrames() - a.length)).as("gaps or overlaps in the sound").isLessThan(48_000 / 20);
    // The sound grabber opens first (its server buffers), so its first sample is a bit older.
    assertThat(rgb.pictures.get(0).utcUs() - rgb.firstAudioUtcUs()).isBetween(-100_000L, 1_500_000L);
    // The 440 Hz tone sounds while the page is green: it starts and stops with the picture.
    long firstAudioUs = rgb.firstAudioUtcUs();
    int greenPeriods = 0;
    // Green starts every 6 s; 9 s of sound holds one such start 0.5 s in and 2 s before the end.
    for (long boundaryMs = (firstAudioUs / 1000 + 500 + 1999) / 2000 * 2000; ; boundaryMs += 2000) {
      int from = (int) ((boundaryMs * 1000 - firstAudioUs) * 48 / 1000);
      if (from + 2 * 48_000 > a.length) {
        break;
      }
      if (expected(boundaryMs) != Colour.GREEN) {
        continue;
      }
      greenPeriods++;
      int middle = from + 48_000 / 2;
      assertThat(Recorded.level(a, middle, middle + 48_000, 440)).isGreaterThan(12_000);
      assertThat(Recorded.level(a, middle, middle + 48_000, 1000)).isLessThan(80);
      assertThat(Recorded.level(a, middle, middle + 48_000, 880)).isLessThan(80);
      int before = from - 24_000;
      assertThat(Recorded.level(a, before, before + 12_000, 440)).as("before green").isLessThan(80);
      long onsetMs = (firstAudioUs + onset(a, from - 24_000) * 1000L / 48) / 1000 - boundaryMs;
      System.out.printf("tone onset - green boundary: %d ms%n", onsetMs);
      assertThat(onsetMs).as("tone onset after the green boundary, ms").isBetween(-150L, 150L);
    }
    assertThat(greenPeriods).isPositive();
    int from = 48_000;
    int to = 3 * 48_000;
    assertThat(Recorded.level(b, from, to, 880)).isGreaterThan(8_000);
    assertThat(Recorded.level(b, from, to, 440)).isLessThan(80);
  }

  @Test
  void awaitReadySucceedsOnlyWhenThePageCallsNotifyReady() throws Exception {
    try (PageSession silent = PageSession.start(tools, PageOptions.of(pages.url("colors=white"), 320, 240, 5))) {
      silent.load(LOAD);
      long start = System.nanoTime();
      assertThat(silent.awaitReady(Duration.ofSeconds(2))).isFalse();
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(1900).toNanos());
    }
    try (PageSession late = PageSession.start(tools, PageOptions.of(pages.url("colors=white&ready=700"), 320, 240, 5))) {
      late.load(LOAD);
      assertThat(late.awaitReady(Duration.ofSeconds(10))).isTrue();
      // A reload is a new document: it must say it is ready again.
      late.reload();
      assertThat(late.awaitReady(Duration.ofMillis(100))).isFalse();
      assertThat(late.awaitReady(Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void aUrlThatDoesNotAnswerFailsToLoad() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (PageSession session = PageSession.start(tools,
        PageOptions.of("http://127.0.0.1:" + closedPort + "/", 320, 240, 5))) {
      assertThatThrownBy(() -> session.load(LOAD))
          .isInstanceOf(PageLoadException.class)
          .hasMessageContaining("ERR_CONNECTION_REFUSED")
          .satisfies(e -> assertThat(((PageLoadException) e).stopCode().code()).isEqualTo(5));
    }
  }

  @Test
  void aUrlAnsweringAnHttpErrorFailsToLoad() throws Exception {
    String missing = pages.url("").replace("/page?", "/missing");
    try (PageSession session = PageSession.start(tools, PageOptions.of(missing, 320, 240, 5))) {
      assertThatThrownBy(() -> session.load(LOAD))
          .isInstanceOf(PageLoadException.class)
          .hasMessageContaining("HTTP 404");
    }
  }

  @Test
  void aUrlThatAcceptsButNeverAnswersFailsToLoadInTime() throws Exception {
    // The kernel accepts the connection into the backlog; nobody ever reads or answers.
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        PageSession session = PageSession.start(tools,
            PageOptions.of("http://127.0.0.1:" + silent.getLocalPort() + "/", 320, 240, 5))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> session.load(Duration.ofSeconds(3)))
          .isInstanceOf(PageLoadException.class)
          .hasMessageContaining("did not answer within 3 s");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(2900), Duration.ofSeconds(8));
    }
  }

  @Test
  void mobileRendersAsAPhoneAtTheRequestedSize() throws Exception {
    pages.reports().clear();
    PageOptions options = PageOptions.of(pages.url("colors=white&ready=0"), 360, 640, 5).withMobile(true);
    try (PageSession session = PageSession.start(tools, options)) {
      session.load(LOAD);
      Map<String, String> report = pages.reports().poll(20, TimeUnit.SECONDS);
      assertThat(report).isNotNull();
      assertThat(report.get("ua")).contains("Android").contains("Mobile");
      assertThat(report).containsEntry("w", "360").containsEntry("h", "640").containsEntry("notify", "function");
      assertThat(Integer.parseInt(report.get("touch"))).isPositive();
    }
  }

  @Test
  void aCrashedPageIsReportedAndCloseLeavesNothingBehind() throws Exception {
    PageSession session = PageSession.start(tools, PageOptions.of(pages.url("colors=blue&tone=440"), 320, 240, 5));
    List<ProcessHandle> processes;
    try {
      session.load(LOAD);
      Recorded recorded = new Recorded();
      session.startCapture(recorded);
      await().atMost(10, TimeUnit.SECONDS).until(() -> recorded.pictures.size() > 5);
      processes = session.processes();
      session.crashPage();
      PageFailure failure = session.failure().get(20, TimeUnit.SECONDS);
      assertThat(failure.kind()).isEqualTo(PageFailure.Kind.PAGE_CRASHED);
      assertThat(failure.stopCode().code()).isEqualTo(6);
    } finally {
      session.close();
    }
    assertThat(processes).noneMatch(ProcessHandle::isAlive);
    assertThat(Files.exists(session.directory())).isFalse();
  }

  /** The first 5 ms block from {@code from} whose peak is above a quarter of the tone's. */
  private static int onset(short[] samples, int from) {
    for (int i = Math.max(from, 0); i + 240 <= samples.length; i += 240) {
      int peak = 0;
      for (int j = i; j < i + 240; j++) {
        peak = Math.max(peak, Math.abs(samples[j]));
      }
      if (peak > 4_000) {
        return i;
      }
    }
    return samples.length;
  }

  private static Colour expected(long utcMs) {
    return RGB.get((int) ((utcMs / 2000) % 3));
  }

  private static long span(Recorded recorded) {
    List<Picture> pictures = recorded.pictures;
    if (pictures.size() < 2) {
      return 0;
    }
    return pictures.get(pictures.size() - 1).utcUs() - pictures.get(0).utcUs();
  }
}
