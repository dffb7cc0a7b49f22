package io.capstan.segmenter.hls;

import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import java.util.ArrayList;
import java.util.List;

/**
 * The slice in progress: its packets (held in memory until the cut) and the times needed for its
 * duration. A slice opened by a cut starts at the cut packet's pts; the first slice of an output
 * (or the first after a break) starts at its earliest pts.
 */
final class SliceBuilder {

  private final List<Packet> packets = new ArrayList<>();
  private final boolean discontinuity;
  private long startUs;
  private final boolean startFixed;
  private long endUs = Long.MIN_VALUE;
  private long firstOffset = -1;
  private long firstVideoOffset = -1;
  private boolean hasVideo;
  private final long[] lastPts = {Long.MIN_VALUE, Long.MIN_VALUE};
  private final long[] lastStep = {0, 0};

  private SliceBuilder(long startUs, boolean startFixed, boolean discontinuity) {
    this.startUs = startUs;
    this.startFixed = startFixed;
    this.discontinuity = discontinuity;
  }

  static SliceBuilder open(boolean discontinuity) {
    return new SliceBuilder(Long.MAX_VALUE, false, discontinuity);
  }

  static SliceBuilder cutAt(long startUs) {
    return new SliceBuilder(startUs, true, false);
  }

  void add(Packet packet, long offset, long fallbackDurationUs) {
    if (offset >= 0 && (firstOffset < 0 || offset < firstOffset)) {
      // Audio held for this slice can come from records before the keyframe that cut it.
      firstOffset = offset;
    }
    packets.add(packet);
    long pts = packet.getPtsUs();
    if (!startFixed) {
      startUs = Math.min(startUs, pts);
    }
    int k = packet.getKind().ordinal();
    if (lastPts[k] != Long.MIN_VALUE && pts > lastPts[k]) {
      lastStep[k] = pts - lastPts[k];
    }
    lastPts[k] = pts;
    long duration = packet.getDurationUs() > 0 ? packet.getDurationUs()
        : fallbackDurationUs > 0 ? fallbackDurationUs : lastStep[k];
    endUs = Math.max(endUs, pts + duration);
    if (packet.getKind() == MediaKind.VIDEO) {
      hasVideo = true;
      if (offset >= 0 && (firstVideoOffset < 0 || offset < firstVideoOffset)) {
        firstVideoOffset = offset;
      }
    }
  }

  boolean isEmpty() {
    return packets.isEmpty();
  }

  boolean hasVideo() {
    return hasVideo;
  }

  List<Packet> packets() {
    return packets;
  }

  long startUs() {
    return startUs;
  }

  /** End of the slice's last media: its pts plus its duration. */
  long endUs() {
    return endUs;
  }

  long firstOffset() {
    return firstOffset;
  }

  /** Offset of the slice's first video record, or -1. */
  long firstVideoOffset() {
    return firstVideoOffset;
  }

  boolean discontinuity() {
    return discontinuity;
  }
}
