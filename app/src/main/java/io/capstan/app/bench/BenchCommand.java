package io.capstan.app.bench;

import ch.qos.logback.classic.Level;
import io.capstan.mixer.MixerService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Recordings per core: composite and individual recordings through every",
        "service and an embedded broker in this process (FAST pacing), beside FFmpeg",
        "doing the same work in the same run. Reports CPU-seconds per output second,",
        "realtime factor, Kafka bytes per output second, peak RSS, our/baseline",
        "ratios and, with --live, the slice latency of a REALTIME run; with --profile,",
        "where each phase's CPU goes; with --capacity, how many live recordings this",
        "machine sustains beside how many FFmpeg processes."})
public final class BenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = {"-n", "--composite"}, defaultValue = "1", description = "concurrent composite jobs (default: ${DEFAULT-VALUE})")
  int composite;

  @Option(names = {"-m", "--individual"}, defaultValue = "1", description = "concurrent individual jobs (default: ${DEFAULT-VALUE})")
  int individual;

  @Option(names = "--seconds", defaultValue = "60", description = "media seconds per job (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "60",
      description = "media seconds of each round of warm-up recordings run before measuring, for the JIT; 0: none"
          + " (default: ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(names = "--warmup-rounds", defaultValue = "12",
      description = "the most warm-up rounds: they repeat until the JIT compiled for under 3 %% of a round's CPU, as in"
          + " a service that has run for hours (default: ${DEFAULT-VALUE})")
  int warmupRounds;

  @Option(names = "--live-warmup-rounds", defaultValue = "6",
      description = "the most REALTIME warm-up rounds (20 s each) before the live run, likewise until the JIT settles:"
          + " a live stream takes other paths than a fast one (default: ${DEFAULT-VALUE})")
  int liveWarmupRounds;

  @Option(names = "--slice-seconds", defaultValue = "10", description = "HLS slice length (default: ${DEFAULT-VALUE})")
  int sliceSeconds;

  @Option(names = "--bitrate", defaultValue = "1130", description = "composite video kbps, Capstan and FFmpeg (default: ${DEFAULT-VALUE})")
  int bitrate;

  @Option(names = "--preset", description = "x264 preset, Capstan (mixer.x264.preset) and FFmpeg (default: the setting's default, veryfast)")
  String preset;

  @Option(names = "--live", description = "also record in REALTIME and report slice latency")
  boolean live;

  @Option(names = "--live-seconds", defaultValue = "30", description = "how long the live run records (default: ${DEFAULT-VALUE})")
  int liveSeconds;

  @Option(names = "--live-slice-seconds", defaultValue = "2",
      description = "slice length of the live run: more slices, more latency samples (default: ${DEFAULT-VALUE})")
  int liveSlice;

  @Option(names = "--idle-seconds", defaultValue = "60",
      description = "how long the idle phase (no recording, after the warm-up) measures the deployment's CPU; 0: skip"
          + " (default: ${DEFAULT-VALUE})")
  int idleSeconds;

  @Option(names = "--profile",
      description = "profile each in-process phase with async-profiler (CPU) and split its CPU by category")
  boolean profile;

  @Option(names = "--capacity", description = "ramp concurrent live recordings (composite, individual) and as many"
      + " FFmpeg processes until p99 slice latency > 2 s or late drops")
  boolean capacity;

  @Option(names = "--capacity-step-seconds", defaultValue = "20",
      description = "how long each capacity step records (default: ${DEFAULT-VALUE})")
  int capacityStepSeconds;

  @Option(names = "--capacity-max", defaultValue = "8",
      description = "the most concurrent recordings a capacity ramp tries (default: ${DEFAULT-VALUE})")
  int capacityMax;

  @Option(names = "--whip", description = "also record one WHIP publisher (VP8, then H.264) beside the same media from a"
      + " file, and report CPU-s per second of media")
  boolean whip;

  @Option(names = "--whip-seconds", defaultValue = "30", description = "how long each WHIP and file row records (default: ${DEFAULT-VALUE})")
  int whipSeconds;

  @Option(names = "--out", description = "where the report (report.txt) and profiles go (default:"
      + " bench-results/<UTC date-time>)")
  Path out;

  @Option(names = "--work-dir", description = "where inputs, broker data and outputs go (default: a temporary directory, deleted after)")
  Path workDir;

  @Option(names = "--keep", description = "keep the work directory (recordings, ffmpeg outputs, logs)")
  boolean keep;

  @Option(names = "--timeout", defaultValue = "1800", description = "longest wait for one phase, seconds (default: ${DEFAULT-VALUE})")
  int timeout;

  @Option(names = "--verbose", description = "show the services' logs")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (!verbose) {
      quietLogs();
    }
    String x264Preset = preset != null ? preset : MixerService.X264_PRESET.defaultValue();
    boolean temporary = workDir == null;
    Path work = temporary ? Files.createTempDirectory("capstan-bench") : Files.createDirectories(workDir);
    BenchPlan plan = new BenchPlan(composite, individual, seconds, warmupSeconds, warmupRounds, liveWarmupRounds,
        new Encoding(1280, 720, 15, bitrate, x264Preset, sliceSeconds), live, liveSeconds, liveSlice, idleSeconds,
        work.toAbsolutePath(), Duration.ofSeconds(timeout));
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    String started = now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    Path results = Files.createDirectories(out != null ? out
        : Path.of("bench-results", now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    String machine = Machine.describe();
    try {
      Bench bench = new Bench(plan, System.err);
      if (profile) {
        bench.profiling(PhaseProfiler.load(results));
      }
      if (capacity) {
        bench.capacity(capacityStepSeconds, capacityMax);
      }
      if (whip) {
        bench.whip(whipSeconds);
      }
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      new Report(bench.run(), new PrintStream(text, true, StandardCharsets.UTF_8)).print("capstan bench, " + started
          + "; " + machine + "\ncommand: " + commandLine());
      Files.write(results.resolve("report.txt"), text.toByteArray());
      System.out.print(text.toString(StandardCharsets.UTF_8));
      System.out.println("results: " + results.toAbsolutePath().resolve("report.txt"));
      if (keep || !temporary) {
        System.out.println("work directory: " + work);
      }
      return 0;
    } finally {
      if (temporary && !keep) {
        delete(work);
      }
    }
  }

  private String commandLine() {
    // The root command's parse result holds the whole line, "bench" included.
    return "capstan " + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
  }

  private static void quietLogs() {
    level(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.WARN);
    for (String noisy : new String[] {"org.apache.kafka", "kafka", "state.change.logger", "io.capstan.gateway"}) {
      level(noisy, Level.ERROR);
    }
  }

  private static void level(String logger, Level level) {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger)).setLevel(level);
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory: the OS cleans it up eventually
    }
  }
}
