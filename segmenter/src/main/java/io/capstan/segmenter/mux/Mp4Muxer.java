package io.capstan.segmenter.mux;

import io.capstan.schemas.TrackConfig;
import java.util.Map;

/**
 * One fragmented MP4 file in memory: {@code ftyp} and an empty {@code moov} first (so the file
 * plays from its start and needs no seek back, which an in-memory, forward-only output cannot do),
 * then one {@code moof}+{@code mdat} fragment per video keyframe (per audio packet group for audio
 * only), and an {@code mfra} index at the end. Players and FFmpeg read it like any MP4.
 *
 * <p>The muxer keeps one fragment in memory; {@link #drain()} hands out what is written so far,
 * so a file of hours leaves memory fragment by fragment. Timestamps should start near 0 (the
 * caller subtracts the file's start): MP4 players show them as they are.
 *
 * <p>H.264 needs its SPS and PPS in the track config's extradata (Annex B is fine): see
 * {@link H264#withParameterSets}.
 */
public final class Mp4Muxer extends MemoryMuxer {

  /** FFmpeg's movflags for a fragmented, forward-only MP4. */
  public static final String MOVFLAGS = "frag_keyframe+empty_moov+default_base_moof";

  public Mp4Muxer(TrackConfig video, TrackConfig audio) {
    // Audio-only files have no keyframe to fragment on: fragments of about 2 s keep memory flat.
    super("mp4", video != null ? Map.of("movflags", MOVFLAGS)
        : Map.of("movflags", MOVFLAGS, "frag_duration", "2000000"), video, audio);
  }
}
