package io.capstan.app;

import io.capstan.runtime.media.Natives;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Decodes one HLS output (a playlist and its slices on disk) slice by slice and finds what a viewer
 * would notice: slices doubled or out of line with their #EXTINF, holes in the media timestamps,
 * pictures that stop moving, sound that goes silent, and decode errors. The sources are live test
 * patterns that change every frame and a steady tone, so a frozen picture or silence is lost media.
 */
final class RecordingCheck {

  /** Something missing from the media, on the job timeline: {@code kind} from {@code startUs} for {@code lengthUs}. */
  record Gap(String kind, long startUs, long lengthUs) {
    long endUs() {
      return startUs + lengthUs;
    }

    @Override
    public String toString() {
      return String.format("%s of %.2f s at %.2f s", kind, lengthUs / 1e6, startUs / 1e6);
    }
  }

  /**
   * @param firstUtcMs the UTC start of the first slice (from its name): where the timeline meets the clock
   * @param firstUs the first media timestamp of the first slice
   * @param misfits slices whose start does not follow the previous slice's start plus its #EXTINF
   */
  record Result(String playlist, int slices, double extinfSeconds, double mediaSeconds, long firstUtcMs,
                long firstUs, List<Gap> gaps, List<String> misfits, List<String> doubled, String decodeErrors,
                int videoFrames, long audioSamples) {

    /** The UTC time of a media timestamp. */
    long utcMs(long us) {
      return firstUtcMs + (us - firstUs) / 1000;
    }

    @Override
    public String toString() {
      return String.format("%s: %d slices, #EXTINF %.2f s, media %.2f s, %d video frames, %d audio samples, "
              + "gaps %s, misfits %s, doubled %s, decode errors [%s]", playlist, slices, extinfSeconds, mediaSeconds,
          videoFrames, audioSamples, gaps, misfits, doubled, decodeErrors.strip());
    }
  }

  /** A hole in the timestamps longer than this many frame (or audio frame) durations is a gap. */
  private static final double HOLE_FRAMES = 2.5;
  /** A picture differing from the one before by less than this (mean of 0-255 levels) has not moved. */
  private static final double STILL = 0.5;
  /** An audio frame quieter than this RMS (of 32767) is silence. */
  private static final double SILENT = 100;
  /** A still picture or silence counts as a gap from this long on (a frame or two may repeat under load). */
  private static final long STILL_MIN_US = 300_000;

  private RecordingCheck() {
  }

  static Result check(Path playlist) throws Exception {
    List<String[]> entries = HlsProbe.entries(playlist);
    Set<String> afterBreak = afterDiscontinuity(playlist);
    List<String> doubled = new ArrayList<>();
    Set<String> names = new HashSet<>();
    entries.forEach(e -> {
      if (!names.add(e[0])) {
        doubled.add(e[0]);
      }
    });
    List<Gap> gaps = new ArrayList<>();
    List<String> misfits = new ArrayList<>();
    Track video = new Track("video");
    Track audio = new Track("audio");
    double extinfSum = 0;
    long previousStart = -1;
    double previousExtinf = 0;
    long firstUs = -1;
    for (String[] entry : entries) {
      double extinf = Double.parseDouble(entry[1]);
      extinfSum += extinf;
      long sliceStart = decodeSlice(playlist.resolveSibling(entry[0]), video, audio, gaps);
      if (sliceStart < 0) {
        // Nothing decoded. A slice of a few audio frames (the piece before a break) is too short for the
        // grabber's probe; the playlist's own decode (decodeErrors) still reads it. A longer one is broken.
        if (extinf >= 0.5) {
          misfits.add(String.format("%s (#EXTINF %.3f) decodes to nothing", entry[0], extinf));
        }
        previousStart = previousStart < 0 ? -1 : previousStart + Math.round(previousExtinf * 1e6);
        previousExtinf = extinf;
        continue;
      }
      if (firstUs < 0) {
        firstUs = sliceStart;
      }
      // After #EXT-X-DISCONTINUITY a slice may start later (the media's own gap, which the gap check judges).
      if (previousStart >= 0 && !afterBreak.contains(entry[0])) {
        long expected = previousStart + Math.round(previousExtinf * 1e6);
        // A frame's worth either way: #EXTINF is rounded and a slice starts on a frame.
        if (Math.abs(sliceStart - expected) > 70_000) {
          misfits.add(String.format("%s starts at %.3f s, not %.3f s", entry[0], sliceStart / 1e6, expected / 1e6));
        }
      }
      previousStart = sliceStart;
      previousExtinf = extinf;
    }
    video.finish(gaps);
    audio.finish(gaps);
    Track main = video.frames > 0 ? video : audio;
    double media = (main.lastEndUs - firstUs) / 1e6;
    long firstUtc = entries.isEmpty() ? 0 : StoreWatch.sliceUtcMs(entries.get(0)[0]);
    return new Result(playlist.getFileName().toString(), entries.size(), extinfSum, media, firstUtc, firstUs,
        List.copyOf(gaps), misfits, doubled, decodeErrors(playlist), video.frames, audio.samples);
  }

  /** The slices right after an #EXT-X-DISCONTINUITY tag. */
  private static Set<String> afterDiscontinuity(Path playlist) throws java.io.IOException {
    Set<String> slices = new HashSet<>();
    boolean broken = false;
    for (String line : java.nio.file.Files.readAllLines(playlist)) {
      if (line.startsWith("#EXT-X-DISCONTINUITY")) {
        broken = true;
      } else if (!line.isBlank() && !line.startsWith("#")) {
        if (broken) {
          slices.add(line.trim());
        }
        broken = false;
      }
    }
    return slices;
  }

  /** Decodes one slice into the tracks; returns its first media timestamp (video if any, else audio). */
  private static long decodeSlice(Path slice, Track video, Track audio, List<Gap> gaps) throws Exception {
    avutil.av_log_set_level(avutil.AV_LOG_QUIET);
    long firstVideo = -1;
    long firstAudio = -1;
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(slice.toFile())) {
      grabber.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
      grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_S16);
      grabber.start();
      double fps = grabber.getFrameRate() > 0 ? grabber.getFrameRate() : 15;
      Frame frame;
      while ((frame = grabber.grab()) != null) {
        if (frame.image != null) {
          firstVideo = firstVideo < 0 ? frame.timestamp : firstVideo;
          video.picture(frame, (long) (1e6 / fps), gaps);
        } else if (frame.samples != null) {
          firstAudio = firstAudio < 0 ? frame.timestamp : firstAudio;
          audio.sound(frame, gaps);
        }
      }
    }
    return firstVideo >= 0 ? firstVideo : firstAudio;
  }

  /** One track's running state across slices. */
  private static final class Track {
    final String kind;
    int frames;
    long samples;
    long lastStartUs = -1;
    long lastEndUs = -1;
    long frameUs;
    byte[] previousPicture;
    long stillSinceUs = -1;
    long stillUntilUs = -1;

    Track(String kind) {
      this.kind = kind;
    }

    void picture(Frame frame, long durationUs, List<Gap> gaps) {
      frameUs = durationUs;
      timestamp(frame.timestamp, frame.timestamp + durationUs, gaps);
      ByteBuffer plane = (ByteBuffer) frame.image[0];
      int stride = frame.imageStride;
      byte[] picture = new byte[frame.imageWidth * frame.imageHeight];
      for (int y = 0; y < frame.imageHeight; y++) {
        plane.get(y * stride, picture, y * frame.imageWidth, frame.imageWidth);
      }
      boolean still = previousPicture != null && previousPicture.length == picture.length
          && meanDifference(previousPicture, picture) < STILL;
      content(still, frame.timestamp, frame.timestamp + durationUs, "still picture", gaps);
      previousPicture = picture;
    }

    void sound(Frame frame, List<Gap> gaps) {
      ShortBuffer pcm = (ShortBuffer) frame.samples[0];
      int channels = Math.max(1, frame.audioChannels);
      int count = pcm.limit() / channels;
      long durationUs = count * 1_000_000L / Math.max(1, frame.sampleRate);
      frameUs = durationUs;
      samples += count;
      timestamp(frame.timestamp, frame.timestamp + durationUs, gaps);
      double sum = 0;
      for (int i = 0; i < pcm.limit(); i++) {
        double s = pcm.get(i);
        sum += s * s;
      }
      boolean silent = Math.sqrt(sum / Math.max(1, pcm.limit())) < SILENT;
      content(silent, frame.timestamp, frame.timestamp + durationUs, "silence", gaps);
    }

    private void timestamp(long startUs, long endUs, List<Gap> gaps) {
      frames++;
      if (lastStartUs >= 0) {
        if (startUs <= lastStartUs) {
          gaps.add(new Gap(kind + " timestamps going back (overlap)", startUs, lastEndUs - startUs));
        } else if (startUs - lastEndUs > HOLE_FRAMES * frameUs - frameUs) {
          gaps.add(new Gap(kind + " timestamps missing", lastEndUs, startUs - lastEndUs));
        }
      }
      lastStartUs = startUs;
      lastEndUs = endUs;
    }

    private void content(boolean lost, long startUs, long endUs, String what, List<Gap> gaps) {
      if (lost) {
        if (stillSinceUs < 0) {
          stillSinceUs = startUs;
        }
        stillUntilUs = endUs;
      } else {
        flush(what, gaps);
      }
    }

    private void flush(String what, List<Gap> gaps) {
      if (stillSinceUs >= 0 && stillUntilUs - stillSinceUs >= STILL_MIN_US) {
        gaps.add(new Gap(kind + " " + what, stillSinceUs, stillUntilUs - stillSinceUs));
      }
      stillSinceUs = -1;
    }

    void finish(List<Gap> gaps) {
      flush(kind.equals("video") ? "still picture" : "silence", gaps);
    }
  }

  private static double meanDifference(byte[] a, byte[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return (double) sum / a.length;
  }

  /** What FFmpeg says at level error while decoding the whole playlist as a player would (empty: none). */
  private static String decodeErrors(Path playlist) throws IOException, InterruptedException {
    Process ffmpeg = new ProcessBuilder(Natives.ffmpegExecutable(), "-nostdin", "-v", "error", "-i",
        playlist.toString(), "-f", "null", "-").redirectErrorStream(true).start();
    String out = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ffmpeg.waitFor(120, TimeUnit.SECONDS)) {
      ffmpeg.destroyForcibly();
      return out + "(ffmpeg did not finish in 120 s)";
    }
    return ffmpeg.exitValue() == 0 ? out : out + "(ffmpeg exit status " + ffmpeg.exitValue() + ")";
  }
}
