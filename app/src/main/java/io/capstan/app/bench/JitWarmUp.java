package io.capstan.app.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Warm-up rounds repeated until the JIT has settled, as it has in a service that has run for
 * hours: until a round in which the JIT compiled for under {@link #SETTLED} of the process's CPU,
 * or the most rounds allowed. A fixed short warm-up left the JIT compiling through the measured
 * phases (8–10 % of a composite's samples, 40 % of the raw-frame round trip's): a cost FFmpeg, a
 * compiled program, does not pay and a running service has long paid.
 */
final class JitWarmUp {

  static final double SETTLED = 0.03;

  /** How a warm-up ended: the rounds it took and the JIT's share of the last one's CPU. */
  record Outcome(int rounds, double lastShare) {

    static final Outcome NONE = new Outcome(0, Double.NaN);

    boolean settled() {
      return lastShare < SETTLED;
    }

    String describe() {
      if (rounds == 0) {
        return "none";
      }
      return String.format(Locale.ROOT, "%d round%s, the JIT %.1f %% of the last one's CPU%s", rounds,
          rounds == 1 ? "" : "s", lastShare * 100, settled() ? "" : " (not settled: raise --warmup-rounds)");
    }
  }

  interface Round {
    void run(int round) throws Exception;
  }

  private JitWarmUp() {
  }

  static Outcome run(int maxRounds, Round round, Consumer<String> say) throws Exception {
    boolean measurable = measurable();
    double share = Double.NaN;
    for (int i = 1; i <= maxRounds; i++) {
      long cpuBefore = ProcStatus.processCpuNanos();
      long jitBefore = compilationMillis();
      round.run(i);
      long cpu = ProcStatus.processCpuNanos() - cpuBefore;
      if (!measurable) {
        return new Outcome(i, Double.NaN);
      }
      long jitMillis = compilationMillis() - jitBefore;
      share = shareOf(jitMillis, cpu);
      say.accept(String.format(Locale.ROOT, "  warm-up round %d: the JIT compiled for %.1f s of the round's %.1f CPU-s"
          + " (%.1f %%)", i, jitMillis / 1e3, cpu / 1e9, share * 100));
      if (share < SETTLED) {
        return new Outcome(i, share);
      }
    }
    return new Outcome(maxRounds, share);
  }

  /** Whether this JVM measures its JIT's compilation time. */
  static boolean measurable() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported();
  }

  /** The JIT's compilation time so far, in ms (0 where the JVM does not measure it). */
  static long compilationMillis() {
    return measurable() ? ManagementFactory.getCompilationMXBean().getTotalCompilationTime() : 0;
  }

  static double shareOf(long jitMillis, long cpuNanos) {
    return cpuNanos <= 0 ? 0 : Math.min(1, jitMillis * 1e6 / cpuNanos);
  }
}
