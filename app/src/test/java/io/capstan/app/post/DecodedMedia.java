package io.capstan.app.post;

import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * A media file decoded the way a player would: each video frame's time and mean colour, and the
 * audio as mono samples from time 0 of the file, to check what a user would see and hear.
 */
public final class DecodedMedia {

  /** One video frame: time in seconds, mean R, G, B (0..255), and the means of its left and right halves. */
  public record Picture(double seconds, double r, double g, double b, double[] left, double[] right) {
    /** "red", "green", "blue", "black" or "mixed": the dominant colour of an {r, g, b} mean. */
    public static String colour(double[] rgb) {
      if (rgb[0] < 30 && rgb[1] < 30 && rgb[2] < 30) {
        return "black";
      }
      if (rgb[0] > 150 && rgb[1] < 60 && rgb[2] < 60) {
        return "red";
      }
      if (rgb[2] > 150 && rgb[0] < 60 && rgb[1] < 60) {
        return "blue";
      }
      if (rgb[1] > 100 && rgb[0] < 60 && rgb[2] < 60) {
        return "green";
      }
      return "mixed";
    }

    public boolean black() {
      return r < 30 && g < 30 && b < 30;
    }
  }

  public final List<Picture> pictures = new ArrayList<>();
  public final int sampleRate;
  public final int channels;
  public final float[] audio;
  public final double audioStartSeconds;
  public final double durationSeconds;
  public final int width;
  public final int height;
  public final String audioCodec;

  private DecodedMedia(int sampleRate, int channels, float[] audio, double audioStart, double duration, int width,
                       int height, String audioCodec) {
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.audio = audio;
    this.audioStartSeconds = audioStart;
    this.durationSeconds = duration;
    this.width = width;
    this.height = height;
    this.audioCodec = audioCodec;
  }

  public static DecodedMedia of(Path file) throws Exception {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    List<Picture> pictures = new ArrayList<>();
    List<float[]> chunks = new ArrayList<>();
    int total = 0;
    double audioStart = -1;
    double lastVideo = 0;
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      g.setSampleFormat(avutil.AV_SAMPLE_FMT_S16);
      g.setSampleMode(org.bytedeco.javacv.FrameGrabber.SampleMode.SHORT);
      g.start();
      long startUs = Math.max(0, g.getFormatContext().start_time() == avutil.AV_NOPTS_VALUE ? 0
          : g.getFormatContext().start_time());
      Frame f;
      while ((f = g.grab()) != null) {
        double t = (f.timestamp - startUs) / 1e6;
        if (f.image != null) {
          pictures.add(mean(f, t));
          lastVideo = Math.max(lastVideo, t);
        } else if (f.samples != null) {
          ShortBuffer s = ((ShortBuffer) f.samples[0]).duplicate();
          int ch = Math.max(1, f.audioChannels);
          float[] mono = new float[s.remaining() / ch];
          for (int i = 0; i < mono.length; i++) {
            float sum = 0;
            for (int c = 0; c < ch; c++) {
              sum += s.get(i * ch + c);
            }
            mono[i] = sum / ch / 32768f;
          }
          if (audioStart < 0) {
            audioStart = t;
          }
          chunks.add(mono);
          total += mono.length;
        }
      }
      float[] audio = new float[total];
      int at = 0;
      for (float[] c : chunks) {
        System.arraycopy(c, 0, audio, at, c.length);
        at += c.length;
      }
      double fps = g.getFrameRate() > 0 ? g.getFrameRate() : 15;
      int rate = g.getSampleRate();
      double audioEnd = rate > 0 ? Math.max(0, audioStart) + (double) total / rate : 0;
      double videoEnd = pictures.isEmpty() ? 0 : lastVideo + 1 / fps;
      DecodedMedia m = new DecodedMedia(rate, g.getAudioChannels(), audio, Math.max(0, audioStart),
          Math.max(audioEnd, videoEnd), g.getImageWidth(), g.getImageHeight(), g.getAudioCodecName());
      m.pictures.addAll(pictures);
      return m;
    }
  }

  private static Picture mean(Frame f, double t) {
    ByteBuffer b = (ByteBuffer) f.image[0];
    int w = f.imageWidth;
    int h = f.imageHeight;
    int stride = f.imageStride;
    double[] all = mean(b, stride, 0, w, h);
    // The halves without a margin of w/8 around the middle: regions' edges are not compared.
    double[] left = mean(b, stride, w / 16, w / 2 - w / 8, h);
    double[] right = mean(b, stride, w / 2 + w / 8, w - w / 16, h);
    return new Picture(t, all[0], all[1], all[2], left, right);
  }

  /** Mean {r, g, b} of columns [x0, x1) of a BGR picture, sampled every 4 pixels. */
  private static double[] mean(ByteBuffer b, int stride, int x0, int x1, int h) {
    long sb = 0;
    long sg = 0;
    long sr = 0;
    int n = 0;
    for (int y = 0; y < h; y += 4) {
      for (int x = x0; x < x1; x += 4) {
        int i = y * stride + x * 3;
        sb += b.get(i) & 0xff;
        sg += b.get(i + 1) & 0xff;
        sr += b.get(i + 2) & 0xff;
        n++;
      }
    }
    return new double[] {(double) sr / Math.max(1, n), (double) sg / Math.max(1, n), (double) sb / Math.max(1, n)};
  }

  /** Video frames between {@code from} and {@code to} seconds. */
  public List<Picture> pictures(double from, double to) {
    return pictures.stream().filter(p -> p.seconds() >= from && p.seconds() < to).toList();
  }

  /**
   * Share of a tone in the sound between {@code from} and {@code to} seconds: Goertzel power over
   * 100 ms windows (a phase jump between slices does not cancel it), normalised by their energy.
   */
  public double tone(double hz, double from, double to) {
    double sum = 0;
    int windows = 0;
    for (double t = from; t + 0.1 <= to + 1e-9; t += 0.1) {
      sum += windowTone(hz, t, t + 0.1);
      windows++;
    }
    return windows == 0 ? windowTone(hz, from, to) : sum / windows;
  }

  private double windowTone(double hz, double from, double to) {
    int a = Math.max(0, (int) ((from - audioStartSeconds) * sampleRate));
    int b = Math.min(audio.length, (int) ((to - audioStartSeconds) * sampleRate));
    if (b - a < 64) {
      return 0;
    }
    double coeff = 2 * Math.cos(2 * Math.PI * hz / sampleRate);
    double s1 = 0;
    double s2 = 0;
    double energy = 0;
    for (int i = a; i < b; i++) {
      double s = audio[i] + coeff * s1 - s2;
      s2 = s1;
      s1 = s;
      energy += audio[i] * audio[i];
    }
    double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    int n = b - a;
    // A pure full-scale tone of amplitude A gives power ~ (A n / 2)^2 and energy ~ A^2 n / 2.
    return energy <= 1e-12 ? 0 : power / (energy * n / 2);
  }

  /** Per half second: mean blue of the pictures, audio RMS and the tone's share (for failure messages). */
  public String profile(double hz) {
    StringBuilder out = new StringBuilder();
    for (double t = 0; t < durationSeconds; t += 0.5) {
      double from = t;
      double blue = pictures(from, from + 0.5).stream().mapToDouble(Picture::b).average().orElse(-1);
      out.append(String.format("%n%5.1f s: blue %5.1f rms %.4f tone %.2f", t, blue, rms(t, t + 0.5), tone(hz, t, t + 0.5)));
    }
    return out.toString();
  }

  /** RMS of the audio between {@code from} and {@code to} seconds. */
  public double rms(double from, double to) {
    int a = Math.max(0, (int) ((from - audioStartSeconds) * sampleRate));
    int b = Math.min(audio.length, (int) ((to - audioStartSeconds) * sampleRate));
    if (b <= a) {
      return 0;
    }
    double sum = 0;
    for (int i = a; i < b; i++) {
      sum += audio[i] * audio[i];
    }
    return Math.sqrt(sum / (b - a));
  }
}
