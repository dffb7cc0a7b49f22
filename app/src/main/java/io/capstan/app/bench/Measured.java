package io.capstan.app.bench;

import java.util.Map;

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
}
