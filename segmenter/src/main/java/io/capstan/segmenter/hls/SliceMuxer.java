package io.capstan.segmenter.hls;

import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import java.util.List;

/** Turns a slice's packets into file bytes (MPEG-TS in production, a fake in unit tests). */
@FunctionalInterface
public interface SliceMuxer {

  byte[] mux(TrackConfig video, TrackConfig audio, List<Packet> packets);
}
