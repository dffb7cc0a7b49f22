package io.capstan.segmenter.mux;

import io.capstan.schemas.TrackConfig;
import io.capstan.runtime.media.SliceTimestamps;
import java.util.Map;

/**
 * One MPEG-TS file in memory (one HLS slice): every slice starts with its own PAT/PMT and is
 * playable alone. Timestamps are microseconds on the job timeline plus
 * {@link SliceTimestamps#TS_OFFSET_US} (rescaled to 90 kHz), the same for every slice, so
 * consecutive slices continue each other's clock and the encoders' negative first timestamps fit.
 */
public final class TsMuxer extends MemoryMuxer {

  /** A video and/or an audio track (either may be null, not both). */
  public TsMuxer(TrackConfig video, TrackConfig audio) {
    // Each slice has its own muxer, so continuity counters restart: say so, or a reader of the
    // playlist as one stream flags the previous slice's last packet as corrupt.
    super("mpegts", Map.of("avoid_negative_ts", "disabled", "mpegts_flags", "initial_discontinuity"), video, audio);
    offsetTimestamps(SliceTimestamps.TS_OFFSET_US);
  }
}
