package io.capstan.ingest.web;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one 1280×720@15 web recording's page source costs: CPU seconds per second of Chromium's
 * process tree, Xvfb and PulseAudio, plus the JVM's grabbing threads (which copy every frame and
 * sound chunk, as ingest will). Written to {@code target/web-capture-cost.txt}.
 *
 * <p>A benchmark, not a test: it measures over a fixed window and asserts nothing, so a busy
 * machine cannot fail a build. Run it with {@code bench/web-capture-cost.sh}.
 */
public final class PageCaptureCost {

  private static final Duration WARM_UP = Duration.ofSeconds(4);
  private static final Duration MEASURE = Duration.ofSeconds(20);

  private static WebCaptureTools tools;

  private PageCaptureCost() {
  }

  public static void main(String[] args) throws Exception {
    var found = WebCaptureTools.probe();
    if (found.isEmpty()) {
      System.err.println("needs chromium, Xvfb and pulseaudio: " + WebToolsMissingException.INSTALL_COMMAND);
      System.exit(2);
    }
    tools = found.get();
    try (TestPages pages = new TestPages()) {
      measure("still page (colour every 2 s, 440 Hz tone)", pages.url("colors=red,lime,blue&period=2000&tone=440"));
      measure("animated page (sliding box, clock text every frame, tone)", pages.animatedUrl());
    }
  }

  private static double measure(String label, String url) throws Exception {
    PageOptions options = PageOptions.of(url, 1280, 720, 15);
    try (PageSession session = PageSession.start(tools, options)) {
      session.load(Duration.ofSeconds(20));
      AtomicLong frames = new AtomicLong();
      CopyingListener listener = new CopyingListener(frames);
      PageCapture capture = session.startCapture(listener);
      TimeUnit.MILLISECONDS.sleep(WARM_UP.toMillis()); // a fixed measuring window, not a wait for a condition
      Duration processes0 = session.processCpuTime();
      Duration jvm0 = capture.cpuTime();
      long frames0 = frames.get();
      long t0 = System.nanoTime();
      TimeUnit.MILLISECONDS.sleep(MEASURE.toMillis());
      double seconds = (System.nanoTime() - t0) / 1e9;
      double processes = (session.processCpuTime().minus(processes0)).toNanos() / 1e9 / seconds;
      double jvm = (capture.cpuTime().minus(jvm0)).toNanos() / 1e9 / seconds;
      double fps = (frames.get() - frames0) / seconds;
      String line = String.format("%s, 1280x720@15: chromium+Xvfb+pulseaudio %.3f cores, JVM grabbers %.3f cores,"
          + " total %.3f cores; %.1f frames/s delivered%n", label, processes, jvm, processes + jvm, fps);
      System.out.print(line);
      Path report = Path.of("target", "web-capture-cost.txt");
      Files.writeString(report, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return processes + jvm;
    }
  }

  /** Copies every picture and sound chunk out of the grabber, as a publisher would. */
  private static final class CopyingListener implements PageMediaListener {
    private final AtomicLong frames;
    private byte[] picture = new byte[0];
    private short[] sound = new short[0];

    CopyingListener(AtomicLong frames) {
      this.frames = frames;
    }

    @Override
    public void onVideo(PageVideoFrame frame) {
      ByteBuffer data = frame.data();
      if (picture.length != data.remaining()) {
        picture = new byte[data.remaining()];
      }
      data.duplicate().get(picture);
      frames.incrementAndGet();
    }

    @Override
    public void onAudio(PageAudioChunk chunk) {
      if (sound.length != chunk.samples().remaining()) {
        sound = new short[chunk.samples().remaining()];
      }
      chunk.samples().duplicate().get(sound);
    }
  }
}
