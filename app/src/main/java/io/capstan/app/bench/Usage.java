package io.capstan.app.bench;

/** What one measured step cost: CPU (user + system) seconds, wall-clock seconds, peak resident memory (-1: unknown). */
public record Usage(double cpuSeconds, double wallSeconds, long peakRssBytes) {
}
