package io.capstan.mixer.job;

import io.capstan.mixer.compositor.SourcePicture;
import io.capstan.schemas.VideoFrame;
import java.util.ArrayDeque;

/**
 * One participant of a composite job: when it is in the layout, how far its input is complete
 * (watermark), its video frames not yet due and its current picture (native).
 */
final class UidTrack implements AutoCloseable {

  /** A frame waiting for its time; a null frame means "video stopped here". */
  private record Timed(long timestampUs, VideoFrame frame) {
  }

  final String uid;
  final long joinedUs;
  /** The uid's place in the channel's join order (from its records; 0 until known): its place in the layout. */
  long joinOrder;
  long leftUs = Long.MAX_VALUE;
  long watermarkUs;
  private final ArrayDeque<Timed> pending = new ArrayDeque<>();
  private final SourcePicture picture = new SourcePicture();
  private final int maxPending;
  private long dropped;

  UidTrack(String uid, long joinedUs, int maxPending) {
    this.uid = uid;
    this.joinedUs = joinedUs;
    this.watermarkUs = joinedUs;
    this.maxPending = Math.max(1, maxPending);
  }

  /** The output waits for this uid's watermark until it leaves. */
  boolean waitedFor() {
    return leftUs == Long.MAX_VALUE;
  }

  boolean visibleAt(long timeUs) {
    return joinedUs <= timeUs && timeUs < leftUs;
  }

  void watermark(long timeUs) {
    watermarkUs = Math.max(watermarkUs, timeUs);
  }

  /** Keeps the frame for its time; returns how many older frames were dropped to make room. */
  int video(long timestampUs, VideoFrame frame) {
    // Frames are kept in time order; beyond the bound the oldest goes (memory over fidelity). One
    // writer sends them in order; across a handover the last frames of the previous ingest can come
    // after the first of the next.
    Timed timed = new Timed(timestampUs, frame);
    if (pending.isEmpty() || pending.peekLast().timestampUs() <= timestampUs) {
      pending.addLast(timed);
    } else {
      ArrayDeque<Timed> later = new ArrayDeque<>();
      while (!pending.isEmpty() && pending.peekLast().timestampUs() > timestampUs) {
        later.addFirst(pending.pollLast());
      }
      pending.addLast(timed);
      pending.addAll(later);
    }
    int droppedNow = 0;
    while (pending.size() > maxPending) {
      pending.pollFirst();
      dropped++;
      droppedNow++;
    }
    return droppedNow;
  }

  void videoStopped(long timestampUs) {
    pending.addLast(new Timed(timestampUs, null));
  }

  long droppedFrames() {
    return dropped;
  }

  /** Makes the picture the latest frame at or before {@code timeUs}; only that one is copied. */
  SourcePicture pictureAt(long timeUs) {
    Timed latest = null;
    while (!pending.isEmpty() && pending.peekFirst().timestampUs() <= timeUs) {
      latest = pending.pollFirst();
    }
    if (latest != null) {
      if (latest.frame() == null) {
        picture.close();
      } else {
        VideoFrame f = latest.frame();
        int[] strides = f.getStrides().stream().mapToInt(Integer::intValue).toArray();
        picture.update(f.getWidth(), f.getHeight(), strides, f.getData());
      }
    }
    return picture;
  }

  @Override
  public void close() {
    pending.clear();
    picture.close();
  }
}
