package io.capstan.segmenter.mux;

import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import java.util.List;

/** Muxes the packets of one whole slice at once. */
public final class TsSlices {

  private TsSlices() {
  }

  /**
   * @param video the video track's config, or null when the slice has no video track
   * @param audio the audio track's config, or null when the slice has no audio track
   * @param packets the slice's packets, in arrival order (dts order per kind)
   */
  public static byte[] mux(TrackConfig video, TrackConfig audio, List<Packet> packets) {
    try (TsMuxer muxer = new TsMuxer(video, audio)) {
      for (Packet p : packets) {
        if (p.getKind() == MediaKind.VIDEO ? muxer.hasVideo() : muxer.hasAudio()) {
          muxer.write(p.getKind(), p.getPtsUs(), p.getDtsUs(), p.getDurationUs(), p.getKey(), p.getData());
        }
      }
      return muxer.finish();
    }
  }
}
