package io.capstan.ingest;

import io.capstan.runtime.media.Natives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Media files made by the bundled ffmpeg for a test, never committed. */
public final class TestMedia {

  /** Video and audio encoders of a test file (ffmpeg output options). */
  public static final List<String> H264_AAC = List.of("-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac");
  public static final List<String> H264_OPUS = List.of("-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "libopus");
  public static final List<String> VP8_OPUS = List.of("-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8",
      "-b:v", "300k", "-c:a", "libopus");
  public static final List<String> H265_AAC = List.of("-c:v", "libx265", "-preset", "ultrafast", "-x265-params",
      "log-level=error", "-pix_fmt", "yuv420p", "-tag:v", "hvc1", "-c:a", "aac");

  private TestMedia() {
  }

  /** An H.264/AAC mp4 of testsrc2 (320x240, 15 fps) and a 440 Hz tone. */
  public static Path mp4(Path dir, int seconds) throws Exception {
    return make(dir.resolve("source.mp4"), seconds, H264_AAC);
  }

  /** testsrc2 (320x240, 15 fps) and a 440 Hz tone, {@code seconds} long, with {@code codecs} into {@code file}. */
  public static Path make(Path file, int seconds, List<String> codecs) throws Exception {
    List<String> command = new ArrayList<>(List.of(Natives.ffmpegExecutable(), "-hide_banner", "-loglevel", "error",
        "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", String.valueOf(seconds)));
    command.addAll(codecs);
    command.add(file.toString());
    Process ffmpeg = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(ffmpeg.getInputStream().readAllBytes());
    if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0 || !Files.exists(file)) {
      throw new IllegalStateException("ffmpeg could not make " + file + ": " + output);
    }
    return file;
  }
}
