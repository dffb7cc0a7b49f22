package io.capstan.app.bench;

/** What one measured step cost: CPU (user + system) seconds, wall-clock seconds, peak resident memory. */
public record Usage(double cpuSeconds, double wallSeconds, long peakRssBytes) {

  public Usage plus(Usage other) {
    return new Usage(cpuSeconds + other.cpuSeconds, Math.max(wallSeconds, other.wallSeconds),
        peakRssBytes + other.peakRssBytes);
  }
}
