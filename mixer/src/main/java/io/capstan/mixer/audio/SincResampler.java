package io.capstan.mixer.audio;

/**
 * Streaming sample-rate conversion of interleaved s16 to planar float, by a windowed sinc (Blackman,
 * 16 zero crossings each side, cut-off below the lower Nyquist): clean enough for speech and music
 * at 48, 32 and 16 kHz. Keeps the tail of the input it still needs between calls.
 */
public final class SincResampler {

  private static final int HALF_TAPS = 16;

  private final int from;
  private final int to;
  private final int channels;
  private final double step;
  private final double cutoff;
  /** Input history per channel: samples not yet consumed (plus HALF_TAPS before the read position). */
  private float[][] history;
  private int size;
  /** Position of the next output sample, in input samples relative to history[0]. */
  private double position;

  public SincResampler(int from, int to, int channels) {
    this.from = from;
    this.to = to;
    this.channels = channels;
    this.step = (double) from / to;
    this.cutoff = Math.min(1.0, (double) to / from) * 0.95;
    this.history = new float[channels][4096];
    // Silence before the first sample, so the first outputs have a full window.
    this.size = HALF_TAPS;
    this.position = HALF_TAPS;
  }

  /** Converts {@code interleaved} (s16, {@code channels} channels); returns what can be output so far. */
  public float[][] process(short[] interleaved) {
    int n = interleaved.length / channels;
    ensure(size + n);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < channels; c++) {
        history[c][size + i] = interleaved[i * channels + c] / 32768f;
      }
    }
    size += n;
    return produce(size - HALF_TAPS);
  }

  /** The rest, once the input has ended (the window runs into silence). */
  public float[][] drain() {
    ensure(size + HALF_TAPS);
    size += HALF_TAPS;
    return produce(size - HALF_TAPS);
  }

  private float[][] produce(int limit) {
    if (from == to) {
      int n = Math.max(0, limit - (int) position);
      float[][] out = new float[channels][n];
      for (int c = 0; c < channels; c++) {
        System.arraycopy(history[c], (int) position, out[c], 0, n);
      }
      position += n;
      compact();
      return out;
    }
    int count = 0;
    for (double p = position; p < limit; p += step) {
      count++;
    }
    float[][] out = new float[channels][count];
    for (int k = 0; k < count; k++) {
      double p = position + k * step;
      int center = (int) Math.floor(p);
      for (int c = 0; c < channels; c++) {
        double sum = 0;
        float[] h = history[c];
        for (int j = center - HALF_TAPS + 1; j <= center + HALF_TAPS; j++) {
          double x = p - j;
          sum += h[j] * kernel(x);
        }
        out[c][k] = (float) sum;
      }
    }
    position += count * step;
    compact();
    return out;
  }

  private double kernel(double x) {
    double t = x * cutoff;
    double sinc = Math.abs(t) < 1e-9 ? 1.0 : Math.sin(Math.PI * t) / (Math.PI * t);
    double w = (x + HALF_TAPS) / (2.0 * HALF_TAPS);
    if (w < 0 || w > 1) {
      return 0;
    }
    double blackman = 0.42 - 0.5 * Math.cos(2 * Math.PI * w) + 0.08 * Math.cos(4 * Math.PI * w);
    return cutoff * sinc * blackman;
  }

  /** Drops input no output needs any more (all but HALF_TAPS before the read position). */
  private void compact() {
    int drop = (int) Math.floor(position) - HALF_TAPS;
    if (drop <= 0) {
      return;
    }
    for (int c = 0; c < channels; c++) {
      System.arraycopy(history[c], drop, history[c], 0, size - drop);
    }
    size -= drop;
    position -= drop;
  }

  private void ensure(int capacity) {
    if (capacity > history[0].length) {
      for (int c = 0; c < channels; c++) {
        history[c] = java.util.Arrays.copyOf(history[c], Math.max(capacity, history[c].length * 2));
      }
    }
  }
}
