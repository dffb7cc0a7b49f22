package io.capstan.segmenter.mux;

import io.capstan.schemas.TrackConfig;
import java.util.Map;

/**
 * One MPEG-TS file in memory (one HLS slice): every slice starts with its own PAT/PMT and is
 * playable alone. Timestamps are microseconds on the job timeline and are kept as they are
 * (rescaled to 90 kHz), so consecutive slices continue each other's clock.
 */
public final class TsMuxer extends MemoryMuxer {

  /** A video and/or an audio track (either may be null, not both). */
  public TsMuxer(TrackConfig video, TrackConfig audio) {
    super("mpegts", Map.of(), video, audio);
  }
}
