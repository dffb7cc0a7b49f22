package io.capstan.ingest.stored;

import io.capstan.storage.recording.StoredPlaylist;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When a uid was in the session, from its slices: each slice covers [start, start + duration) on
 * the job timeline; slices closer than {@link #JOIN_US} make one interval (slice starts are whole
 * milliseconds, so back-to-back slices touch within a millisecond). Anything wider is a gap.
 */
final class Presence {

  /** Slices nearer than this are one stretch of presence. */
  static final long JOIN_US = 500_000;

  record Interval(long startUs, long endUs) {
    boolean contains(long us, long toleranceUs) {
      return us >= startUs - toleranceUs && us <= endUs + toleranceUs;
    }
  }

  private Presence() {
  }

  /** The merged intervals of the slices of {@code playlists} on the timeline that starts at {@code startedUtcMs}. */
  static List<Interval> of(List<StoredPlaylist> playlists, long startedUtcMs) {
    List<Interval> raw = new ArrayList<>();
    for (StoredPlaylist p : playlists) {
      for (StoredPlaylist.Slice s : p.slices()) {
        long start = (s.startUtcMs() - startedUtcMs) * 1000;
        raw.add(new Interval(start, start + s.durationUs()));
      }
    }
    raw.sort(Comparator.comparingLong(Interval::startUs));
    List<Interval> merged = new ArrayList<>();
    for (Interval i : raw) {
      if (!merged.isEmpty() && i.startUs() - merged.get(merged.size() - 1).endUs() < JOIN_US) {
        Interval last = merged.remove(merged.size() - 1);
        merged.add(new Interval(last.startUs(), Math.max(last.endUs(), i.endUs())));
      } else {
        merged.add(i);
      }
    }
    return merged;
  }

  /** The interval that holds {@code us} (with tolerance), else the first that starts after it; null if none. */
  static Interval at(List<Interval> intervals, long us, long toleranceUs) {
    for (Interval i : intervals) {
      if (i.contains(us, toleranceUs) || i.startUs() > us) {
        return i;
      }
    }
    return null;
  }
}
