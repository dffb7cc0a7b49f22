package io.capstan.segmenter.hls;

import io.capstan.schemas.Packet;
import java.util.ArrayList;
import java.util.List;

/**
 * Audio that reached the next slice boundary before the video keyframe that opens that slice.
 * An encoder's lookahead (x264 holds a few frames) makes video arrive later than audio of the
 * same time, so without this the end of every slice would carry the next slice's first second of
 * audio and the next slice would start silent.
 */
final class EarlyAudio {

  private record Held(Packet packet, long offset, long fallbackDurationUs) {
  }

  private final List<Held> held = new ArrayList<>();

  void add(Packet packet, long offset, long fallbackDurationUs) {
    held.add(new Held(packet, offset, fallbackDurationUs));
  }

  /** Offset of the earliest held record, or -1. */
  long firstOffset() {
    return held.stream().mapToLong(Held::offset).filter(o -> o >= 0).min().orElse(-1);
  }

  long firstPtsUs() {
    return held.get(0).packet().getPtsUs();
  }

  long spanUs() {
    return held.isEmpty() ? 0 : held.get(held.size() - 1).packet().getPtsUs() - firstPtsUs();
  }

  void drainInto(SliceBuilder slice) {
    for (Held h : held) {
      slice.add(h.packet(), h.offset(), h.fallbackDurationUs());
    }
    held.clear();
  }
}
