package io.capstan.segmenter.mux;

import io.capstan.schemas.TrackConfig;
import java.util.Map;

/**
 * An FLV stream in memory (H.264 + AAC), as an RTMP publisher sends it: FFmpeg's RTMP protocol
 * takes exactly this byte stream (header, then tags) and turns its tags into RTMP messages. The
 * output cannot seek, so the header's duration and size stay unset.
 *
 * <p>H.264 needs its SPS and PPS in the video config's extradata (Annex B is fine; the muxer
 * writes the AVC sequence header from it and turns Annex B packets into length-prefixed ones):
 * see {@link H264#withParameterSets}.
 */
public final class FlvMuxer extends MemoryMuxer {

  public FlvMuxer(TrackConfig video, TrackConfig audio) {
    super("flv", Map.of("flvflags", "no_duration_filesize"), video, audio);
  }
}
