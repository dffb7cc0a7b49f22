package io.capstan.segmenter.hls;

/**
 * A finished slice.
 *
 * @param index 0 for the output's first slice
 * @param fileName the slice's file name (no storage prefix)
 * @param data the MPEG-TS bytes (fMP4: the media segment)
 * @param startUs job-timeline start (pts of its first media)
 * @param durationUs exact duration
 * @param startUtcMs UTC ms of its first media
 * @param discontinuity true when it follows a break
 * @param initName the fMP4 init segment to send before it (a new one), or null
 * @param init that init segment's bytes, or null
 */
public record Slice(int index, String fileName, byte[] data, long startUs, long durationUs, long startUtcMs,
                    boolean discontinuity, String initName, byte[] init) {

  public Slice(int index, String fileName, byte[] data, long startUs, long durationUs, long startUtcMs,
               boolean discontinuity) {
    this(index, fileName, data, startUs, durationUs, startUtcMs, discontinuity, null, null);
  }

  public double durationSeconds() {
    return durationUs / 1_000_000.0;
  }
}
