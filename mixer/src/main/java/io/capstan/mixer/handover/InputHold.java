package io.capstan.mixer.handover;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The input offsets one job's output still needs. Pictures and sound sit in jitter buffers and in
 * the encoders' lookahead for a while after their records were read; committing the partition's
 * offset past them would leave a new owner without them. Per uid this keeps the offsets of the
 * media records at or after what the output still needs (and, for video, the latest picture before
 * it: the one on screen at the resume point), so the commit can stop at the oldest of them.
 */
public final class InputHold {

  /** A picture older than this before the resume point is not replayed (the uid shows again with its next frame). */
  static final long MAX_PICTURE_AGE_US = 10_000_000;
  /** Longer than any audio record lasts: an older lone chunk has nothing at the resume point. */
  private static final long AUDIO_CHUNK_MAX_US = 1_000_000;

  private record Seen(long timestampUs, long offset) {
  }

  private static final class Uid {
    final ArrayDeque<Seen> video = new ArrayDeque<>();
    final ArrayDeque<Seen> audio = new ArrayDeque<>();
  }

  private final Map<String, Uid> uids = new HashMap<>();

  public void video(String uid, long timestampUs, long offset) {
    uids.computeIfAbsent(uid, u -> new Uid()).video.addLast(new Seen(timestampUs, offset));
  }

  public void audio(String uid, long timestampUs, long offset) {
    uids.computeIfAbsent(uid, u -> new Uid()).audio.addLast(new Seen(timestampUs, offset));
  }

  /**
   * Forgets what the output no longer needs and answers the oldest offset it still does.
   *
   * @return the smallest offset still needed, or -1 for none
   */
  public long release(InputNeeds needs) {
    long videoFromUs = needs.videoFromUs();
    long audioFromUs = needs.audioFromUs();
    long oldest = Long.MAX_VALUE;
    for (Iterator<Uid> it = uids.values().iterator(); it.hasNext(); ) {
      Uid uid = it.next();
      releaseBefore(uid.video, videoFromUs, true);
      releaseBefore(uid.audio, audioFromUs, false);
      if (uid.video.isEmpty() && uid.audio.isEmpty()) {
        it.remove();
        continue;
      }
      if (!uid.video.isEmpty()) {
        oldest = Math.min(oldest, uid.video.peekFirst().offset());
      }
      if (!uid.audio.isEmpty()) {
        oldest = Math.min(oldest, uid.audio.peekFirst().offset());
      }
    }
    return oldest == Long.MAX_VALUE ? -1 : oldest;
  }

  /**
   * Keeps the records from the last one starting at or before {@code fromUs} (it covers that
   * instant) on; a lone record long before it covers nothing any more.
   */
  private static void releaseBefore(ArrayDeque<Seen> seen, long fromUs, boolean video) {
    if (fromUs == Long.MIN_VALUE) {
      return; // the output has not started: everything is needed
    }
    if (fromUs == Long.MAX_VALUE) {
      seen.clear();
      return;
    }
    while (seen.size() >= 2 && second(seen).timestampUs() <= fromUs) {
      seen.pollFirst();
    }
    long maxAge = video ? MAX_PICTURE_AGE_US : AUDIO_CHUNK_MAX_US;
    if (seen.size() == 1 && seen.peekFirst().timestampUs() < fromUs - maxAge) {
      seen.pollFirst();
    }
  }

  private static Seen second(ArrayDeque<Seen> seen) {
    Iterator<Seen> it = seen.iterator();
    it.next();
    return it.next();
  }
}
