package io.capstan.ingest;

import io.capstan.runtime.media.Natives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Media files made by the bundled ffmpeg for a test, never committed. */
public final class TestMedia {

  private TestMedia() {
  }

  /** An H.264/AAC mp4 of testsrc2 (320x240, 15 fps) and a 440 Hz tone. */
  public static Path mp4(Path dir, int seconds) throws Exception {
    Path file = dir.resolve("source.mp4");
    Process ffmpeg = new ProcessBuilder(Natives.ffmpegExecutable(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", String.valueOf(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", file.toString())
        .redirectErrorStream(true).start();
    String output = new String(ffmpeg.getInputStream().readAllBytes());
    if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0 || !Files.exists(file)) {
      throw new IllegalStateException("ffmpeg could not make " + file + ": " + output);
    }
    return file;
  }
}
