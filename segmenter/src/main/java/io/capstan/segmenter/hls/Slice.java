package io.capstan.segmenter.hls;

/**
 * A finished slice.
 *
 * @param index 0 for the output's first slice
 * @param fileName the slice's file name (no storage prefix)
 * @param data the MPEG-TS bytes
 * @param startUs job-timeline start (pts of its first media)
 * @param durationUs exact duration
 * @param startUtcMs UTC ms of its first media
 * @param discontinuity true when it follows a break
 */
public record Slice(int index, String fileName, byte[] data, long startUs, long durationUs, long startUtcMs,
                    boolean discontinuity) {

  public double durationSeconds() {
    return durationUs / 1_000_000.0;
  }
}
