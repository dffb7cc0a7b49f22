package io.capstan.ingest.web;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Maps the page's UTC capture times onto the job timeline of a web recording, leaving out the
 * time it was on hold: the recording is a series of running stretches, each one continuing the job
 * time where the previous stopped. A capture time inside a hold maps to nothing (not recorded).
 *
 * <p>The first stretch starts at the first picture (sound captured before it is dropped), so the
 * files begin with the page; later ones start when the recording is resumed. Captures reach the
 * listener some milliseconds after they were taken, so the last few closed stretches are kept to
 * place a late picture or sound that was taken before a pause.
 *
 * <p>Thread-safe: the capture's video and audio threads and the command that pauses call it.
 */
public final class RecordedTime {

  private static final int KEPT_STRETCHES = 8;

  /** A running stretch: UTC µs [fromUtcUs, toUtcUs) recorded at job time jobUs onwards. */
  private record Stretch(long fromUtcUs, long toUtcUs, long jobUs) {
    boolean contains(long utcUs) {
      return utcUs >= fromUtcUs && utcUs < toUtcUs;
    }
  }

  private final Deque<Stretch> closed = new ArrayDeque<>();
  private long nextJobUs;
  private boolean onHold;
  /** Start of the open stretch, or Long.MIN_VALUE when none is open (on hold, or before the first picture). */
  private long openFromUtcUs = Long.MIN_VALUE;
  private long openJobUs;
  private boolean started;

  /**
   * @param startJobUs job time of the first recorded instant (0 for a new job)
   * @param onHold whether the recording starts on hold
   */
  public RecordedTime(long startJobUs, boolean onHold) {
    this.nextJobUs = startJobUs;
    this.onHold = onHold;
  }

  /**
   * The first picture, taken at {@code utcUs}, opens the first stretch unless the recording is on
   * hold (then the first resume does).
   */
  public synchronized void firstPicture(long utcUs) {
    if (started) {
      return;
    }
    started = true;
    if (!onHold) {
      open(utcUs);
    }
  }

  /** Pauses at {@code utcUs}; @return false when already on hold. */
  public synchronized boolean hold(long utcUs) {
    if (onHold) {
      return false;
    }
    onHold = true;
    if (openFromUtcUs != Long.MIN_VALUE) {
      long to = Math.max(utcUs, openFromUtcUs);
      nextJobUs = openJobUs + (to - openFromUtcUs);
      closed.addLast(new Stretch(openFromUtcUs, to, openJobUs));
      while (closed.size() > KEPT_STRETCHES) {
        closed.removeFirst();
      }
      openFromUtcUs = Long.MIN_VALUE;
    }
    return true;
  }

  /** Resumes at {@code utcUs}; @return false when it was not on hold. */
  public synchronized boolean resume(long utcUs) {
    if (!onHold) {
      return false;
    }
    onHold = false;
    if (started) {
      open(utcUs);
    }
    return true;
  }

  public synchronized boolean onHold() {
    return onHold;
  }

  /** The job time of a capture taken at {@code utcUs}, or -1 when that instant is not recorded. */
  public synchronized long jobUs(long utcUs) {
    if (openFromUtcUs != Long.MIN_VALUE && utcUs >= openFromUtcUs) {
      return openJobUs + (utcUs - openFromUtcUs);
    }
    for (Stretch s : closed) {
      if (s.contains(utcUs)) {
        return s.jobUs() + (utcUs - s.fromUtcUs());
      }
    }
    return -1;
  }

  /**
   * The part of a run of sound, taken from {@code utcUs} for {@code durationUs}, that is recorded:
   * {skipUs, jobUs, keepUs} (skip that much of its start, place the rest at jobUs), or null when
   * none of it is. A run that crosses the start or end of a stretch is cut there.
   */
  public synchronized long[] soundPart(long utcUs, long durationUs) {
    long end = utcUs + durationUs;
    if (openFromUtcUs != Long.MIN_VALUE && end > openFromUtcUs) {
      long from = Math.max(utcUs, openFromUtcUs);
      return new long[] {from - utcUs, openJobUs + (from - openFromUtcUs), end - from};
    }
    for (Stretch s : closed) {
      long from = Math.max(utcUs, s.fromUtcUs());
      long to = Math.min(end, s.toUtcUs());
      if (to > from) {
        return new long[] {from - utcUs, s.jobUs() + (from - s.fromUtcUs()), to - from};
      }
    }
    return null;
  }

  private void open(long utcUs) {
    openFromUtcUs = utcUs;
    openJobUs = nextJobUs;
  }
}
