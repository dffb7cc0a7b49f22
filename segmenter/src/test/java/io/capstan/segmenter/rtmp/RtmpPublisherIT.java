package io.capstan.segmenter.rtmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.runtime.media.Natives;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.segmenter.media.Decoded;
import io.capstan.segmenter.media.TestMedia;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A push to FFmpeg listening as an RTMP server: it retries until the server is up, and what arrives decodes. */
class RtmpPublisherIT {

  @Test
  void pushesTheOutputToAnRtmpListenerWhichDecodesIt(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "rtmp://127.0.0.1:" + port + "/live/s";
    List<String> states = new CopyOnWriteArrayList<>();
    AtomicBoolean hold = new AtomicBoolean();
    List<Packet> packets = TestMedia.encode(8, 1);
    Path received = dir.resolve("received.flv");
    RtmpPublisher publisher = new RtmpPublisher("job1", url, (u, s) -> states.add(s), hold::get,
        Duration.ofSeconds(1), Duration.ofSeconds(5));
    Process listener = null;
    try {
      long startNanos = System.nanoTime();
      for (Packet p : packets) {
        // Live: packets come as they are made. The listener starts 1.5 s in: the first attempts fail.
        long dueNanos = startNanos + TimeUnit.MICROSECONDS.toNanos(p.getDtsUs());
        if (listener == null && System.nanoTime() - startNanos > 1_500_000_000L) {
          listener = new ProcessBuilder(Natives.ffmpegExecutable(), "-hide_banner", "-loglevel", "error", "-listen", "1",
              "-i", url, "-c", "copy", "-f", "flv", received.toString())
              .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        }
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        publisher.offer(p);
      }
      publisher.end();
      assertThat(publisher.await(Duration.ofSeconds(20))).isTrue();
      Process ffmpeg = listener;
      assertThat(ffmpeg).isNotNull();
      assertThat(ffmpeg.waitFor(20, TimeUnit.SECONDS)).as(Files.readString(dir.resolve("ffmpeg.log"))).isTrue();
    } finally {
      publisher.close();
      if (listener != null) {
        listener.destroyForcibly();
      }
    }
    assertThat(states).startsWith("connecting").contains("publishing").endsWith("disconnected");
    Decoded decoded = Decoded.of(received);
    // 8 s sent, the first second or two lost while the listener was starting.
    assertThat(decoded.videoFrames()).isBetween(4 * TestMedia.FPS, 7 * TestMedia.FPS + 1);
    assertThat(decoded.firstVideoFrameKey()).isTrue();
    assertThat(decoded.centreRgb()[0]).isGreaterThan(200);
    // Mono: the sound covers the pictures.
    double videoSeconds = decoded.videoFrames() / (double) TestMedia.FPS;
    System.out.printf("pushed: %.2f s of video, %.2f s of sound%n", videoSeconds,
        decoded.audioSamples() / (double) TestMedia.SAMPLE_RATE);
    assertThat(decoded.audioSamples() / (double) TestMedia.SAMPLE_RATE).isBetween(videoSeconds - 0.3, videoSeconds + 0.3);
    assertThat(decoded.audioPeak()).isGreaterThan(0.1);
    assertThat(packets).anyMatch(p -> p.getKind() == MediaKind.AUDIO);
  }
}
