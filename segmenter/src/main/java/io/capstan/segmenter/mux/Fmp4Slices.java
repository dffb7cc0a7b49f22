package io.capstan.segmenter.mux;

import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import java.util.List;
import java.util.Map;

/**
 * Muxes the packets of one whole HLS slice as fragmented MP4 (CMAF-style fMP4 HLS): {@code ftyp}
 * and an empty {@code moov} (the init segment), then one {@code moof}+{@code mdat} fragment (the
 * media segment). {@link Fmp4Boxes#split} separates the two. Timestamps stay on the job timeline
 * (the fragment's {@code tfdt} is the slice's first dts), so consecutive slices continue each
 * other's clock although each is muxed alone; the init segment depends only on the track configs,
 * so it is the same for every slice of an output until a config changes.
 */
public final class Fmp4Slices {

  /** frag_discont: the fragment's tfdt is its first dts; skip_trailer: no mfra after the fragment. */
  static final Map<String, String> OPTIONS = Map.of(
      "movflags", "frag_custom+empty_moov+default_base_moof+frag_discont+skip_trailer",
      // The mp4 muxer would otherwise shift the first slice's timestamps to 0 ("make_zero").
      "avoid_negative_ts", "disabled");

  private Fmp4Slices() {
  }

  /** Same contract as {@link TsSlices#mux}; returns init segment then media segment, back to back. */
  public static byte[] mux(TrackConfig video, TrackConfig audio, List<Packet> packets) {
    TrackConfig v = video;
    if (v != null) {
      for (Packet p : packets) {
        if (p.getKind() == MediaKind.VIDEO && p.getKey()) {
          v = H264.withParameterSets(video, p.getData());
          break;
        }
      }
    }
    try (MemoryMuxer muxer = new MemoryMuxer("mp4", OPTIONS, v, audio) {
    }) {
      for (Packet p : packets) {
        if (p.getKind() == MediaKind.VIDEO ? muxer.hasVideo() : muxer.hasAudio()) {
          muxer.write(p.getKind(), p.getPtsUs(), p.getDtsUs(), p.getDurationUs(),
              p.getKey() || p.getKind() == MediaKind.AUDIO, p.getData());
        }
      }
      return muxer.finish();
    }
  }
}
