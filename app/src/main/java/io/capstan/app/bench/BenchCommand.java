package io.capstan.app.bench;

import ch.qos.logback.classic.Level;
import io.capstan.mixer.MixerService;
import java.io.IOException;
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
        "ratios and, with --live, the slice latency of a REALTIME run."})
public final class BenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = {"-n", "--composite"}, defaultValue = "1", description = "concurrent composite jobs (default: ${DEFAULT-VALUE})")
  int composite;

  @Option(names = {"-m", "--individual"}, defaultValue = "1", description = "concurrent individual jobs (default: ${DEFAULT-VALUE})")
  int individual;

  @Option(names = "--seconds", defaultValue = "60", description = "media seconds per job (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "30",
      description = "media seconds of the warm-up recordings run before measuring, for the JIT; 0: none (default: ${DEFAULT-VALUE})")
  int warmupSeconds;

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
    BenchPlan plan = new BenchPlan(composite, individual, seconds, warmupSeconds,
        new Encoding(1280, 720, 15, bitrate, x264Preset, sliceSeconds), live, liveSeconds, liveSlice, idleSeconds,
        work.toAbsolutePath(), Duration.ofSeconds(timeout));
    String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    String machine = Machine.describe();
    try {
      BenchResults results = new Bench(plan, System.err).run();
      new Report(results, System.out).print("capstan bench, " + started + "; " + machine + "\ncommand: "
          + commandLine());
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
