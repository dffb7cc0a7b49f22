package io.capstan.app.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every measurement of one run; rows that did not run stay null. */
public final class BenchResults {

  final BenchPlan plan;
  Measured composite;
  Measured individual;
  Measured rawFrames;
  Measured ffmpegComposite;
  Measured ffmpegRemux;
  Measured ffmpegTranscode;
  Measured live;
  IdleCpu idle;
  List<Double> liveComposite = List.of();
  List<Double> liveIndividual = List.of();
  /** With --profile: each in-process phase's profile, by phase (raw-frames, composite, individual, live). */
  final Map<String, PhaseProfiler.Profile> profiles = new LinkedHashMap<>();
  /** With --whip: by video codec, recording one WHIP publisher and the same media from a file. */
  final Map<String, Measured[]> whip = new LinkedHashMap<>();
  /** With --capacity: the ramps, Capstan's and FFmpeg's. */
  final List<Capacity> capacity = new ArrayList<>();

  public BenchResults(BenchPlan plan) {
    this.plan = plan;
  }

  /**
   * Baseline (b): FFmpeg's composite plus moving the same raw frames through Kafka once, what
   * any design that ships raw video between processes pays at least. CPU and output seconds of
   * (a), plus the round trip's CPU; the round trip's Kafka bytes.
   */
  public Measured compositePlusRawFrames() {
    if (ffmpegComposite == null || rawFrames == null) {
      return null;
    }
    Usage a = ffmpegComposite.usage();
    Usage raw = rawFrames.usage();
    double cpuPerSecond = a.cpuSeconds() / ffmpegComposite.outputSeconds()
        + raw.cpuSeconds() / rawFrames.outputSeconds();
    Usage usage = new Usage(cpuPerSecond * ffmpegComposite.outputSeconds(), a.wallSeconds() + raw.wallSeconds(), -1);
    return new Measured("ffmpeg composite + raw frames via Kafka", ffmpegComposite.jobs(),
        ffmpegComposite.outputSeconds(), usage, rawFrames.kafkaBytes(), rawFrames.threadCpu(),
        ffmpegComposite.loadAverage());
  }
}
