package io.capstan.ingest.web;

import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a test keeps of a capture: each picture's timestamp and centre colour (no pixel loops
 * over whole frames), and the left channel of the sound.
 */
final class Recorded implements PageMediaListener {

  enum Colour { RED, GREEN, BLUE, YELLOW, WHITE, BLACK, OTHER }

  record Picture(long utcUs, Colour centre, int width, int height, int bytes) {
  }

  final List<Picture> pictures = new CopyOnWriteArrayList<>();
  final List<Exception> errors = new CopyOnWriteArrayList<>();
  /** The left channel, index 0 = {@link #firstAudioUtcUs()}. */
  private short[] left = new short[48_000 * 30];
  private volatile int leftCount;
  private volatile long deliveredFrames;
  private volatile long firstAudioUtcUs = -1;
  private volatile long lastAudioEndUtcUs = -1;

  @Override
  public void onVideo(PageVideoFrame frame) {
    ByteBuffer data = frame.data();
    int x = frame.width() / 2;
    int y = frame.height() / 2;
    int strideY = frame.strides()[0];
    int strideC = frame.strides()[1];
    int planeY = strideY * frame.height();
    int planeC = strideC * frame.height() / 2;
    int luma = data.get(y * strideY + x) & 0xff;
    int u = data.get(planeY + (y / 2) * strideC + x / 2) & 0xff;
    int v = data.get(planeY + planeC + (y / 2) * strideC + x / 2) & 0xff;
    pictures.add(new Picture(frame.utcUs(), classify(luma, u, v), frame.width(), frame.height(), data.remaining()));
  }

  @Override
  public synchronized void onAudio(PageAudioChunk chunk) {
    if (firstAudioUtcUs < 0) {
      firstAudioUtcUs = chunk.utcUs();
    }
    // Placed on a timeline by each chunk's own timestamp, as a mixer would.
    ShortBuffer samples = chunk.samples();
    int frames = chunk.frames();
    int at = (int) Math.round((chunk.utcUs() - firstAudioUtcUs) * 48 / 1000.0);
    while (at + frames > left.length) {
      left = java.util.Arrays.copyOf(left, left.length * 2);
    }
    for (int i = 0; i < frames; i++) {
      left[at + i] = samples.get(samples.position() + i * chunk.channels());
    }
    leftCount = Math.max(leftCount, at + frames);
    deliveredFrames += frames;
    lastAudioEndUtcUs = chunk.utcUs() + chunk.durationUs();
  }

  @Override
  public void onError(Exception error) {
    errors.add(error);
  }

  synchronized short[] leftChannel() {
    return java.util.Arrays.copyOf(left, leftCount);
  }

  /** Samples per channel delivered (the timeline's length minus its gaps, plus its overlaps). */
  long deliveredFrames() {
    return deliveredFrames;
  }

  long firstAudioUtcUs() {
    return firstAudioUtcUs;
  }

  long lastAudioEndUtcUs() {
    return lastAudioEndUtcUs;
  }

  /** BT.601 limited range to RGB, then the nearest named colour. */
  static Colour classify(int luma, int u, int v) {
    double c = 1.164 * (luma - 16);
    double r = c + 1.596 * (v - 128);
    double g = c - 0.392 * (u - 128) - 0.813 * (v - 128);
    double b = c + 2.017 * (u - 128);
    boolean rh = r > 180;
    boolean gh = g > 180;
    boolean bh = b > 180;
    boolean rl = r < 70;
    boolean gl = g < 70;
    boolean bl = b < 70;
    if (rh && gl && bl) {
      return Colour.RED;
    } else if (rl && gh && bl) {
      return Colour.GREEN;
    } else if (rl && gl && bh) {
      return Colour.BLUE;
    } else if (rh && gh && bl) {
      return Colour.YELLOW;
    } else if (rh && gh && bh) {
      return Colour.WHITE;
    } else if (rl && gl && bl) {
      return Colour.BLACK;
    }
    return Colour.OTHER;
  }

  /**
   * The level of {@code hz} in {@code samples[from, to)}: the median over 100 ms blocks of a
   * Hann-windowed Goertzel amplitude (0 … 32768 for a full-scale sine). Per block, so that a
   * glitch (Chromium's audio thread starved of CPU drops a 512-sample buffer now and then on a
   * loaded machine) does not cancel the tone's phase over the whole span; windowed, so that a
   * loud tone does not leak into a neighbouring frequency's level.
   */
  static double level(short[] samples, int from, int to, double hz) {
    int block = 4_800;
    java.util.List<Double> levels = new java.util.ArrayList<>();
    for (int start = from; start + block <= to; start += block) {
      levels.add(amplitude(samples, start, block, hz));
    }
    java.util.Collections.sort(levels);
    return levels.isEmpty() ? 0 : levels.get(levels.size() / 2);
  }

  private static double amplitude(short[] samples, int from, int n, double hz) {
    double k = 2 * Math.cos(2 * Math.PI * hz / 48_000);
    double s1 = 0;
    double s2 = 0;
    for (int i = 0; i < n; i++) {
      double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
      double s0 = samples[from + i] * hann + k * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    double power = s1 * s1 + s2 * s2 - k * s1 * s2;
    return 4 * Math.sqrt(Math.max(power, 0)) / n; // 2 for one side of the spectrum, 2 for Hann's gain
  }
}
