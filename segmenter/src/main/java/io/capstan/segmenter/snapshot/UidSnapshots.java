package io.capstan.segmenter.snapshot;

import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The snapshots of one uid: the first at its first video keyframe, then one per
 * {@code intervalUs} of the job timeline, each taken at the first keyframe at or after its due
 * time (so a snapshot is at most one GOP late, and the count over a duration D is ⌈D / interval⌉).
 * A uid that is away when snapshots fall due gets one when it is back, not one per missed interval.
 *
 * <p>Holds no packets: a snapshot is done when its keyframe arrives, so nothing is pending for
 * the committed offset. {@link #nextDueUs()} is what a new owner needs to keep the schedule.
 */
public final class UidSnapshots implements AutoCloseable {

  /** Not scheduled yet: the next keyframe is due. */
  public static final long UNSCHEDULED = Long.MIN_VALUE;

  private final long intervalUs;
  private final Supplier<KeyframeJpeg> jpegs;
  private KeyframeJpeg jpeg;
  private TrackConfig config;
  private long nextDueUs;

  /**
   * @param nextDueUs when the next snapshot is due on the job timeline, or {@link #UNSCHEDULED}
   * @param jpegs makes the native encoder when the first snapshot is due
   */
  public UidSnapshots(long intervalUs, long nextDueUs, Supplier<KeyframeJpeg> jpegs) {
    if (intervalUs <= 0) {
      throw new IllegalArgumentException("the snapshot interval must be positive, got " + intervalUs + " us");
    }
    this.intervalUs = intervalUs;
    this.nextDueUs = nextDueUs;
    this.jpegs = jpegs;
  }

  public long nextDueUs() {
    return nextDueUs;
  }

  /** Takes one packet of the uid; a snapshot when it is a keyframe at or past the due time. */
  public Optional<Taken> accept(Packet packet) {
    if (packet.getKind() != MediaKind.VIDEO) {
      return Optional.empty();
    }
    if (packet.getConfig() != null) {
      config = packet.getConfig();
    }
    long pts = packet.getPtsUs();
    if (config == null || !packet.getKey() || (nextDueUs != UNSCHEDULED && pts < nextDueUs)) {
      return Optional.empty();
    }
    long due = nextDueUs == UNSCHEDULED ? pts : nextDueUs;
    // Missed intervals (the uid was away) are not made up for.
    nextDueUs = due + Math.max(1, Math.floorDiv(pts - due, intervalUs) + 1) * intervalUs;
    if (jpeg == null) {
      jpeg = jpegs.get();
    }
    return jpeg.encode(config, packet.getData()).map(s -> new Taken(pts, s));
  }

  @Override
  public void close() {
    if (jpeg != null) {
      jpeg.close();
      jpeg = null;
    }
  }

  /** A snapshot of the keyframe at {@code ptsUs} on the job timeline. */
  public record Taken(long ptsUs, KeyframeJpeg.Snapshot snapshot) {
  }
}
