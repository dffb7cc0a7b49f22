package io.capstan.mixer.timeline;

/**
 * Where the composite output's frames and samples sit on the job timeline (microseconds): video
 * frame n at n * 1e6 / fps, audio sample s at s * 1e6 / 48000, and which frames start a slice.
 * Pure arithmetic, rounding down, so every service computes the same instants.
 */
public final class OutputTimeline {

  public static final int SAMPLE_RATE = 48_000;
  private static final long MICROS = 1_000_000L;

  private final int fps;
  private final long sliceUs;

  public OutputTimeline(int fps, int sliceSeconds) {
    if (fps <= 0 || sliceSeconds <= 0) {
      throw new IllegalArgumentException("fps and sliceSeconds must be positive: " + fps + ", " + sliceSeconds);
    }
    this.fps = fps;
    this.sliceUs = sliceSeconds * MICROS;
  }

  public int fps() {
    return fps;
  }

  public long videoTimeUs(long frame) {
    return Math.floorDiv(frame * MICROS, fps);
  }

  /** The first frame whose time is at or after {@code timeUs}. */
  public long frameAtOrAfter(long timeUs) {
    long n = Math.floorDiv(timeUs * fps, MICROS);
    while (videoTimeUs(n) < timeUs) {
      n++;
    }
    while (n > 0 && videoTimeUs(n - 1) >= timeUs) {
      n--;
    }
    return n;
  }

  /** True for the first frame at or after a slice boundary k * sliceSeconds: it must be an IDR frame. */
  public boolean startsSlice(long frame) {
    if (frame <= 0) {
      return true;
    }
    // a boundary B with time(n-1) < B <= time(n)
    return Math.floorDiv(videoTimeUs(frame), sliceUs) != Math.floorDiv(videoTimeUs(frame - 1), sliceUs);
  }

  public static long audioTimeUs(long sample) {
    return Math.floorDiv(sample * MICROS, SAMPLE_RATE);
  }

  /** The first sample whose time is at or after {@code timeUs}. */
  public static long sampleAtOrAfter(long timeUs) {
    return Math.floorDiv(timeUs * SAMPLE_RATE + MICROS - 1, MICROS);
  }

  /** The sample nearest to {@code timeUs} (where a chunk stamped {@code timeUs} starts). */
  public static long nearestSample(long timeUs) {
    return Math.floorDiv(timeUs * SAMPLE_RATE + MICROS / 2, MICROS);
  }
}
