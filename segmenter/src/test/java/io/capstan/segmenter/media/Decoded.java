package io.capstan.segmenter.media;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** What a player would see in one media file: decoded with FFmpegFrameGrabber. */
public record Decoded(int videoFrames, boolean firstVideoFrameKey, List<Long> videoTimestampsUs, long audioSamples,
                      double audioPeak, int[] centreRgb) {

  public static Decoded of(Path file) throws Exception {
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
      grabber.start();
      int videoFrames = 0;
      Boolean firstKey = null;
      List<Long> times = new ArrayList<>();
      long samples = 0;
      double peak = 0;
      int[] rgb = null;
      Frame frame;
      while ((frame = grabber.grabFrame(true, true, true, false)) != null) {
        if (frame.image != null) {
          videoFrames++;
          times.add(frame.timestamp);
          if (firstKey == null) {
            firstKey = frame.keyFrame;
            ByteBuffer bgr = (ByteBuffer) frame.image[0];
            int at = (frame.imageHeight / 2) * frame.imageStride + (frame.imageWidth / 2) * 3;
            rgb = new int[] {bgr.get(at + 2) & 0xff, bgr.get(at + 1) & 0xff, bgr.get(at) & 0xff};
          }
        }
        if (frame.samples != null) {
          if (frame.samples[0] instanceof FloatBuffer f) {
            samples += f.remaining();
            for (int i = f.position(); i < f.limit(); i++) {
              peak = Math.max(peak, Math.abs(f.get(i)));
            }
          } else if (frame.samples[0] instanceof ShortBuffer s) {
            samples += s.remaining();
            for (int i = s.position(); i < s.limit(); i++) {
              peak = Math.max(peak, Math.abs(s.get(i) / 32768.0));
            }
          }
        }
      }
      grabber.stop();
      return new Decoded(videoFrames, firstKey != null && firstKey, times, samples, peak, rgb);
    }
  }

  public long videoSpanUs() {
    return videoTimestampsUs.isEmpty() ? 0 : videoTimestampsUs.get(videoTimestampsUs.size() - 1) - videoTimestampsUs.get(0);
  }
}
