package io.capstan.app.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * One measured row: what ran, how many recording seconds it produced, what it cost. Output seconds
 * are recording seconds summed over jobs (a 60 s composite job is 60 output seconds, whatever its
 * uid count); realtime factor is output seconds over wall seconds, all jobs of the row together.
 */
public record Measured(String label, int jobs, double outputSeconds, Usage usage, Map<String, Long> kafkaBytes,
                       Map<String, Double> threadCpu, String loadAverage, Map<String, Long> brokerRequests) {

  /** A row that used no broker of this process's (FFmpeg's children). */
  public Measured(String label, int jobs, double outputSeconds, Usage usage, Map<String, Long> kafkaBytes,
                  Map<String, Double> threadCpu, String loadAverage) {
    this(label, jobs, outputSeconds, usage, kafkaBytes, threadCpu, loadAverage, Map.of());
  }

  public double cpuPerOutputSecond() {
    return usage.cpuSeconds() / outputSeconds;
  }

  public double realtimeFactor() {
    return outputSeconds / usage.wallSeconds();
  }

  public long kafkaBytesTotal() {
    return kafkaBytes.values().stream().mapToLong(Long::longValue).sum();
  }

  public double kafkaBytesPerOutputSecond() {
    return kafkaBytesTotal() / outputSeconds;
  }

  /** This row's CPU per output second over {@code baseline}'s. */
  public double cpuRatio(Measured baseline) {
    return cpuPerOutputSecond() / baseline.cpuPerOutputSecond();
  }

  /** The same work measured again, added to this: CPU, wall and output seconds summed, the higher peak. */
  public Measured plus(Measured again) {
    Usage both = new Usage(usage.cpuSeconds() + again.usage.cpuSeconds(),
        usage.wallSeconds() + again.usage.wallSeconds(), Math.max(usage.peakRssBytes(), again.usage.peakRssBytes()));
    return new Measured(label, jobs, outputSeconds + again.outputSeconds, both,
        sum(kafkaBytes, again.kafkaBytes, Long::sum), sum(threadCpu, again.threadCpu, Double::sum), loadAverage,
        sum(brokerRequests, again.brokerRequests, Long::sum));
  }

  private static <N> Map<String, N> sum(Map<String, N> a, Map<String, N> b, BinaryOperator<N> add) {
    Map<String, N> total = new HashMap<>(a);
    b.forEach((k, v) -> total.merge(k, v, add));
    return total;
  }
}
