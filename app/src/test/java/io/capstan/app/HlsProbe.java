package io.capstan.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** Decodes HLS output the way a player would, and reports what it found. */
final class HlsProbe {

  record Slice(String name, double extinf, int videoFrames, int keyFramesAtStart, long audioSamples, int sampleRate,
               int width, int height, double firstVideoSeconds, double lastVideoSeconds) {
  }

  private HlsProbe() {
  }

  /** The slices a playlist names, each with its #EXTINF. */
  static List<String[]> entries(Path playlist) throws Exception {
    List<String[]> entries = new ArrayList<>();
    String extinf = null;
    for (String line : Files.readAllLines(playlist)) {
      if (line.startsWith("#EXTINF:")) {
        extinf = line.substring("#EXTINF:".length()).split(",")[0];
      } else if (!line.isBlank() && !line.startsWith("#")) {
        entries.add(new String[] {line.trim(), extinf});
      }
    }
    return entries;
  }

  static Slice decode(Path file, double extinf) throws Exception {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    int videoFrames = 0;
    int keyAtStart = 0;
    long samples = 0;
    double first = -1;
    double last = -1;
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
      grabber.start();
      Frame frame;
      while ((frame = grabber.grab()) != null) {
        if (frame.image != null) {
          if (videoFrames == 0 && frame.keyFrame) {
            keyAtStart = 1;
          }
          videoFrames++;
          double t = frame.timestamp / 1e6;
          if (first < 0) {
            first = t;
          }
          last = t;
        } else if (frame.samples != null) {
          samples += frame.samples[0].limit() / Math.max(1, frame.samples.length == 1 ? frame.audioChannels : 1);
        }
      }
      return new Slice(file.getFileName().toString(), extinf, videoFrames, keyAtStart, samples, grabber.getSampleRate(),
          grabber.getImageWidth(), grabber.getImageHeight(), first, last);
    }
  }
}
