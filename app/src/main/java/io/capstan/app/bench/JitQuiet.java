package io.capstan.app.bench;

import java.time.Duration;

/**
 * Waits, after recordings, until the JIT has gone quiet: what they made hot keeps crossing the
 * compilers' thresholds for minutes (methods that run a few times a second), and an idle server is
 * one past that tail. Quiet means the compilers worked under {@link #QUIET_SHARE} of a core over
 * the last {@link #WINDOW}, which is a tenth of the idle target.
 */
final class JitQuiet {

  static final Duration WINDOW = Duration.ofSeconds(15);
  static final double QUIET_SHARE = 0.002;

  /** Whether the JIT was seen quiet, still compiling at the end of the wait, or not watched (no room, no monitor). */
  enum State { QUIET, COMPILING, UNCHECKED }

  /** How long the wait took and how the JIT was at its end. */
  record Outcome(Duration waited, State state) {
  }

  private JitQuiet() {
  }

  /** Waits at least {@code least}, then until a quiet window, at most {@code most} in all. */
  static Outcome await(Duration least, Duration most) throws InterruptedException {
    long start = System.nanoTime();
    Thread.sleep(least.toMillis());
    if (!JitWarmUp.measurable()) {
      return new Outcome(since(start), State.UNCHECKED);
    }
    long windowMs = WINDOW.toMillis();
    State state = State.UNCHECKED;
    while (since(start).plus(WINDOW).compareTo(most) <= 0) {
      long before = JitWarmUp.compilationMillis();
      Thread.sleep(windowMs);
      if (JitWarmUp.compilationMillis() - before <= QUIET_SHARE * windowMs) {
        return new Outcome(since(start), State.QUIET);
      }
      state = State.COMPILING;
    }
    return new Outcome(since(start), state);
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
