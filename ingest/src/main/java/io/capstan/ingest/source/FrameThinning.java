package io.capstan.ingest.source;

/**
 * Which of a uid's pictures a composite job can ever show. The mixer shows, at each output instant
 * (n * 1e6 / fps on the job timeline), the latest picture at or before it; a picture followed by
 * another before the next instant is never shown. Those are not converted or published: a 60 fps
 * camera in a 15 fps composite costs a quarter of the scaling and of the raw bytes through Kafka.
 * The next picture is expected one frame interval later (the last one seen). When it could land
 * within half an interval before the instant or anywhere after it, this picture is kept: whole
 * microseconds and wavering cameras make "right on the instant" a guess, and a guess must never
 * leave an instant with an older picture than without thinning. Sources that start right on an
 * instant (FAST jobs start every source at 0) keep about twice as many pictures as the others.
 */
final class FrameThinning {

  private static final long MICROS = 1_000_000;

  private final int fps;
  private long previousUs = Long.MIN_VALUE;

  /** @param fps the composite's frame rate; 0 keeps every picture (individual jobs) */
  FrameThinning(int fps) {
    this.fps = fps;
  }

  boolean keep(long timestampUs) {
    long interval = previousUs == Long.MIN_VALUE ? 0 : timestampUs - previousUs;
    previousUs = timestampUs;
    if (fps <= 0 || interval <= 0) {
      return true;
    }
    long instant = instantAtOrAfter(timestampUs);
    return timestampUs + interval + interval / 2 > instant;
  }

  /** The first output instant at or after {@code timeUs} (the mixer's floor(n * 1e6 / fps)). */
  private long instantAtOrAfter(long timeUs) {
    long n = Math.floorDiv(timeUs * fps, MICROS);
    while (Math.floorDiv(n * MICROS, fps) < timeUs) {
      n++;
    }
    return Math.floorDiv(n * MICROS, fps);
  }
}
