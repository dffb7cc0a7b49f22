package io.capstan.runtime.media;

/**
 * How job-timeline times appear inside HLS MPEG-TS slices. MPEG-TS cannot carry negative
 * timestamps, and an encoder's first packets have them (AAC priming: −21 ms at 48 kHz; B-frames:
 * a negative dts). Left alone, FFmpeg would shift only the slice that holds them, so the first
 * slice would overlap the second. Every slice therefore carries job time plus one constant offset,
 * the one FFmpeg's own command line uses for MPEG-TS output.
 */
public final class SliceTimestamps {

  /** MPEG-TS pts/dts = job-timeline time + this. */
  public static final long TS_OFFSET_US = 1_400_000;

  private SliceTimestamps() {
  }

  /** The job-timeline time of a timestamp read from a Capstan MPEG-TS slice. */
  public static long jobTimeUs(long slicePtsUs) {
    return slicePtsUs - TS_OFFSET_US;
  }
}
