package io.capstan.app.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundled ffmpeg's command lines: the bench's source files and the baselines a user would run
 * instead of Capstan. Pure: builds argument lists, runs nothing.
 */
public final class FfmpegCommands {

  /** Cheap generated pictures (no mandelbrot, no noise) and one tone per uid. */
  public static final List<String> PATTERNS = List.of("testsrc2", "smptebars", "rgbtestsrc", "testsrc");
  public static final List<Integer> TONES_HZ = List.of(300, 500, 700, 900);

  private FfmpegCommands() {
  }

  /**
   * Source {@code index}: {@code seconds} of a test pattern with a tone, H.264 (a keyframe every
   * second, so a remux can cut slices of any whole length) and AAC in MP4.
   */
  public static List<String> source(String ffmpeg, int index, int width, int height, int fps, int seconds,
                                    Path output) {
    List<String> c = head(ffmpeg);
    c.addAll(List.of(
        "-f", "lavfi", "-i", PATTERNS.get(index % PATTERNS.size()) + "=size=" + width + "x" + height + ":rate=" + fps
            + ":duration=" + seconds,
        "-f", "lavfi", "-i", "sine=frequency=" + TONES_HZ.get(index % TONES_HZ.size()) + ":sample_rate=48000:duration="
            + seconds,
        "-c:v", "libx264", "-preset", "veryfast", "-g", String.valueOf(fps), "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k", "-ac", "1",
        "-shortest", "-movflags", "+faststart", output.toString()));
    return c;
  }

  /**
   * Baseline (a): the composite in one process. Decodes the four inputs, xstack 2×2 (scaled to the
   * canvas when four sources do not fill it exactly), amix without normalisation (the mixer sums
   * and saturates), the mixer's x264 settings, AAC, HLS slices of the same length.
   */
  public static List<String> composite(String ffmpeg, List<Path> inputs, int sourceWidth, int sourceHeight,
                                       Encoding e, Path outputDir) {
    if (inputs.size() != 4) {
      throw new IllegalArgumentException("the composite baseline stacks exactly 4 inputs, not " + inputs.size());
    }
    List<String> c = head(ffmpeg);
    inputs.forEach(in -> c.addAll(List.of("-i", in.toString())));
    String scale = sourceWidth * 2 == e.width() && sourceHeight * 2 == e.height() ? ""
        : ",scale=" + e.width() + ":" + e.height();
    c.addAll(List.of("-filter_complex",
        "[0:v][1:v][2:v][3:v]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0" + scale + "[v];"
            + "[0:a][1:a][2:a][3:a]amix=inputs=4:normalize=0[a]",
        "-map", "[v]", "-map", "[a]"));
    c.addAll(x264(e.bitrateKbps(), e));
    c.addAll(aac());
    c.addAll(hls(outputDir, "composite", e.sliceSeconds()));
    return c;
  }

  /** Baseline (c): individual recording as a remux, each input's video and audio copied into their own HLS. */
  public static List<String> remux(String ffmpeg, List<Path> inputs, int sliceSeconds, Path outputDir) {
    List<String> c = head(ffmpeg);
    inputs.forEach(in -> c.addAll(List.of("-i", in.toString())));
    for (int i = 0; i < inputs.size(); i++) {
      c.addAll(List.of("-map", i + ":v", "-c", "copy"));
      c.addAll(hls(outputDir, "uid" + i + "_video", sliceSeconds));
      c.addAll(List.of("-map", i + ":a", "-c", "copy"));
      c.addAll(hls(outputDir, "uid" + i + "_audio", sliceSeconds));
    }
    return c;
  }

  /**
   * Baseline (d): individual recording transcoded the way the mixer does it today: each input's
   * video re-encoded at its own size (UidTranscoder's bitrate), its audio as AAC mono 48 kbps.
   */
  public static List<String> individualTranscode(String ffmpeg, List<Path> inputs, int sourceWidth, int sourceHeight,
                                                 Encoding e, Path outputDir) {
    List<String> c = head(ffmpeg);
    inputs.forEach(in -> c.addAll(List.of("-i", in.toString())));
    int kbps = Encoding.individualKbps(sourceWidth, sourceHeight, e.fps());
    for (int i = 0; i < inputs.size(); i++) {
      c.addAll(List.of("-map", i + ":v"));
      c.addAll(x264(kbps, e));
      c.addAll(hls(outputDir, "uid" + i + "_video", e.sliceSeconds()));
      c.addAll(List.of("-map", i + ":a"));
      c.addAll(aac());
      c.addAll(hls(outputDir, "uid" + i + "_audio", e.sliceSeconds()));
    }
    return c;
  }

  /**
   * {@code command} as a live recording: each input read at its native rate ({@code -re}) for
   * {@code seconds}, and each HLS output stamped with #EXT-X-PROGRAM-DATE-TIME (the wall clock at
   * its start plus the media time), so its slice latency is measured as Capstan's is. No initial
   * burst: media must not enter before its time. (A remux's latency still reads about -0.45 s:
   * FFmpeg's first date-time is later than the moment it starts reading; not explained yet.)
   */
  public static List<String> realtime(List<String> command, int seconds) {
    List<String> c = new ArrayList<>();
    for (int i = 0; i < command.size(); i++) {
      String arg = command.get(i);
      if (arg.equals("-i") && i > 0) {
        c.addAll(List.of("-re", "-readrate_initial_burst", "0", "-t", String.valueOf(seconds)));
      }
      c.add(arg);
      if (arg.equals("hls") && i > 0 && command.get(i - 1).equals("-f")) {
        c.addAll(List.of("-hls_flags", "program_date_time"));
      }
    }
    return c;
  }

  private static List<String> head(String ffmpeg) {
    return new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
  }

  /** VideoEncoder's settings as ffmpeg options. */
  private static List<String> x264(int kbps, Encoding e) {
    return List.of("-c:v", "libx264", "-preset", e.preset(), "-pix_fmt", "yuv420p", "-r", String.valueOf(e.fps()),
        "-b:v", kbps + "k", "-maxrate", (kbps * 3 / 2) + "k", "-bufsize", (kbps * 2) + "k",
        "-g", String.valueOf(e.gopFrames()), "-bf", "0", "-x264-params", "scenecut=0", "-forced-idr", "1",
        "-force_key_frames", "expr:gte(t,n_forced*" + e.sliceSeconds() + ")");
  }

  private static List<String> aac() {
    return List.of("-c:a", "aac", "-b:a", Encoding.AUDIO_KBPS + "k", "-ac", String.valueOf(Encoding.AUDIO_CHANNELS),
        "-ar", "48000");
  }

  private static List<String> hls(Path dir, String name, int sliceSeconds) {
    return List.of("-f", "hls", "-hls_time", String.valueOf(sliceSeconds), "-hls_list_size", "0",
        "-hls_segment_filename", dir.resolve(name + "_%05d.ts").toString(), dir.resolve(name + ".m3u8").toString());
  }
}
