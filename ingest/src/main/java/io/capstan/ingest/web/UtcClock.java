package io.capstan.ingest.web;

/**
 * UTC microseconds that never jump: read once from the wall clock, then advanced by
 * {@link System#nanoTime()}, so an NTP step in the middle of a recording does not reorder frames.
 */
final class UtcClock {

  private final long baseUtcUs;
  private final long baseNanos;

  UtcClock() {
    this.baseNanos = System.nanoTime();
    java.time.Instant now = java.time.Instant.now();
    this.baseUtcUs = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  long utcMicros() {
    return baseUtcUs + (System.nanoTime() - baseNanos) / 1_000;
  }
}
