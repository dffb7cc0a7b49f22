package io.capstan.app.bench;

import java.util.ArrayList;
import java.util.HashMap;
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
  /** The live (REALTIME) runs, each kind alone; FFmpeg's composite reading its inputs at their rate. */
  Measured liveCompositeRun;
  Measured liveIndividualRun;
  /** (a) live, run before and after Capstan's live composite, and the two added. */
  Measured ffmpegLiveCompositeBefore;
  Measured ffmpegLiveCompositeAfter;
  Measured ffmpegLiveComposite;
  IdleCpu idle;
  JitQuiet.Outcome idleSettle;
  JitWarmUp.Outcome rawFramesWarmUp = JitWarmUp.Outcome.NONE;
  JitWarmUp.Outcome pipelineWarmUp = JitWarmUp.Outcome.NONE;
  JitWarmUp.Outcome liveWarmUp = JitWarmUp.Outcome.NONE;
  int liveWarmUpRecordings;
  List<Double> liveComposite = List.of();
  List<Double> liveIndividual = List.of();
  /**
   * With --profile: each in-process phase's profile, by phase (raw-frames, composite, individual,
   * live-composite, live-individual).
   */
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
   * (a), plus the round trip's CPU; the round trip's Kafka bytes at (a)'s length.
   */
  public Measured compositePlusRawFrames() {
    return plusRawFrames(ffmpegComposite);
  }

  /** The same for the live composite: FFmpeg's reading its inputs at their rate, plus the round trip. */
  public Measured liveCompositePlusRawFrames() {
    return plusRawFrames(ffmpegLiveComposite);
  }

  private Measured plusRawFrames(Measured ffmpeg) {
    if (ffmpeg == null || rawFrames == null) {
      return null;
    }
    Usage a = ffmpeg.usage();
    Usage raw = rawFrames.usage();
    double cpuPerSecond = a.cpuSeconds() / ffmpeg.outputSeconds() + raw.cpuSeconds() / rawFrames.outputSeconds();
    Usage usage = new Usage(cpuPerSecond * ffmpeg.outputSeconds(), a.wallSeconds() + raw.wallSeconds(), -1);
    // the round trip's bytes at (a)'s length: (a) may have run longer (live: twice)
    double scale = ffmpeg.outputSeconds() / rawFrames.outputSeconds();
    Map<String, Long> bytes = new HashMap<>();
    rawFrames.kafkaBytes().forEach((topic, n) -> bytes.put(topic, Math.round(n * scale)));
    return new Measured(ffmpeg.label() + " + raw frames via Kafka", ffmpeg.jobs(), ffmpeg.outputSeconds(), usage,
        bytes, rawFrames.threadCpu(), ffmpeg.loadAverage());
  }
}
