package io.capstan.app.bench;

import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Pacing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Finds how many concurrent live recordings this machine sustains: step n runs n REALTIME
 * recordings at once for {@code stepSeconds} (fresh ones each step, so one step's backlog does
 * not spill into the next), n = 1, 2, ... until a step is not sustained ({@link Capacity.Step})
 * or n reaches the cap. FFmpeg is ramped the same way, its inputs read at their native rate
 * ({@code -re}) and its HLS slices stamped with PROGRAM-DATE-TIME, so the same slice latency
 * measures both.
 */
final class CapacityRamp {

  /** The mixer's counters of media dropped for arriving late or running too far ahead. */
  private static final List<String> DROP_COUNTERS = List.of("capstan_mixer_late_frames", "capstan_mixer_dropped_frames");

  private final JobRunner runner;
  private final MeterRegistry metrics;
  private final Path storage;
  private final Path ffmpegOut;
  private final String ffmpeg;
  private final List<Path> sources;
  private final Encoding encoding;
  private final int stepSeconds;
  private final int cap;
  private final Duration timeout;
  private final Consumer<String> say;

  CapacityRamp(JobRunner runner, MeterRegistry metrics, Path storage, Path ffmpegOut, String ffmpeg,
               List<Path> sources, Encoding encoding, int stepSeconds, int cap, Duration timeout, Consumer<String> say) {
    this.runner = runner;
    this.metrics = metrics;
    this.storage = storage;
    this.ffmpegOut = ffmpegOut;
    this.ffmpeg = ffmpeg;
    this.sources = sources;
    this.encoding = encoding;
    this.stepSeconds = stepSeconds;
    this.cap = cap;
    this.timeout = timeout;
    this.say = say;
  }

  Capacity capstanComposite() throws Exception {
    return capstan("capstan composite", "capacity-composite",
        n -> BenchJobs.composite(sources, encoding, Pacing.REALTIME, "capacity-composite-" + n));
  }

  Capacity capstanIndividual() throws Exception {
    return capstan("capstan individual", "capacity-individual",
        n -> BenchJobs.individual(sources, encoding, Pacing.REALTIME, "capacity-individual-" + n));
  }

  Capacity ffmpegComposite() throws Exception {
    return ffmpeg("ffmpeg composite", "composite", dir -> FfmpegCommands.realtime(FfmpegCommands.composite(ffmpeg,
        sources, BenchPlan.SOURCE_WIDTH, BenchPlan.SOURCE_HEIGHT, encoding, dir), stepSeconds));
  }

  Capacity ffmpegRemux() throws Exception {
    return ffmpeg("ffmpeg remux", "remux", dir -> FfmpegCommands.realtime(FfmpegCommands.remux(ffmpeg, sources,
        encoding.sliceSeconds(), dir), stepSeconds));
  }

  private Capacity capstan(String label, String bucket, Function<Integer, JobSpec> job) throws Exception {
    List<Capacity.Step> steps = new ArrayList<>();
    for (int n = 1; n <= cap; n++) {
      List<JobSpec> jobs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        jobs.add(job.apply(n));
      }
      settle();
      long drops = drops();
      boolean peakReset = ProcStatus.resetPeakRss();
      long cpuBefore = ProcStatus.processCpuNanos();
      JobRunner.Outcome outcome = runner.run(jobs, Duration.ofSeconds(stepSeconds), timeout);
      double cpu = (ProcStatus.processCpuNanos() - cpuBefore) / 1e9;
      long peak = peakReset ? ProcStatus.peakRssBytes() : -1;
      List<Double> latencies = SliceLatency.of(storage.resolve(bucket + "-" + n), "", encoding.fps());
      Capacity.Step step = new Capacity.Step(n, SliceLatency.percentile(latencies, 99), latencies.size(),
          drops() - drops, peak, cpu, outcome.wallSeconds(), outcome.clean());
      steps.add(step);
      report(label, step);
      if (!step.sustained()) {
        break;
      }
    }
    return new Capacity(label, steps, cap);
  }

  private Capacity ffmpeg(String label, String name, Function<Path, List<String>> command) throws Exception {
    List<Capacity.Step> steps = new ArrayList<>();
    for (int n = 1; n <= cap; n++) {
      Path stepDir = ffmpegOut.resolve("capacity-" + name + "-" + n);
      List<List<String>> commands = new ArrayList<>();
      List<Path> dirs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Path dir = Files.createDirectories(stepDir.resolve("job" + i));
        dirs.add(dir);
        commands.add(command.apply(dir));
      }
      settle();
      boolean clean = true;
      Usage usage = new Usage(0, 0, -1);
      try {
        usage = ChildProcesses.runAll(commands, stepDir.resolve("logs"), timeout);
      } catch (IllegalStateException e) {
        say.accept("  " + label + " × " + n + ": " + e.getMessage());
        clean = false;
      }
      List<Double> latencies = new ArrayList<>();
      for (Path dir : dirs) {
        latencies.addAll(SliceLatency.of(dir, "", encoding.fps()));
      }
      Capacity.Step step = new Capacity.Step(n, SliceLatency.percentile(latencies, 99), latencies.size(), 0,
          usage.peakRssBytes(), usage.cpuSeconds(), usage.wallSeconds(), clean);
      steps.add(step);
      report(label, step);
      if (!step.sustained()) {
        break;
      }
    }
    return new Capacity(label, steps, cap);
  }

  private long drops() {
    double sum = 0;
    for (String name : DROP_COUNTERS) {
      for (Counter c : metrics.find(name).counters()) {
        sum += c.count();
      }
    }
    return Math.round(sum);
  }

  private void report(String label, Capacity.Step s) {
    say.accept(String.format(java.util.Locale.ROOT, "  %s × %d: p99 %.0f ms over %d slices, %d late drops, peak RSS"
            + " %.0f MiB, %.1f CPU-s in %.1f s: %s", label, s.recordings(), s.p99Ms(), s.slices(), s.lateDrops(),
        s.peakRssBytes() / 1048576.0, s.cpuSeconds(), s.wallSeconds(), s.verdict()));
  }

  private static void settle() throws InterruptedException {
    Thread.sleep(2000);
  }
}
