package io.capstan.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.app.wiring.Deployment;
import io.capstan.app.wiring.ServiceCatalog;
import io.capstan.broker.EmbeddedKafka;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.media.Natives;
import io.capstan.runtime.source.SourcePolicy;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.StreamAnnouncement;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A bench run, in this order: the sources (bundled ffmpeg); an embedded broker; the raw-frame
 * round trip of baseline (b), warm-up first; every service in this process; warm-up recordings
 * (the JIT compiles the hot paths before anything is measured); the composite jobs, then the
 * individual jobs, each phase alone so the process's CPU is theirs; the ffmpeg baselines as
 * child processes; the live (REALTIME) run. Each phase is measured by its own deltas.
 */
public final class Bench {

  /** The idle server is one at least a minute past its last recording. */
  private static final Duration IDLE_SETTLE = Duration.ofSeconds(60);
  /**
   * The longest wait after the warm-up for the JIT to go quiet ({@link JitQuiet}) before the idle
   * server is measured; 4 × the idle time when that is less.
   */
  private static final Duration IDLE_SETTLE_MOST = Duration.ofSeconds(240);
  /** The broker deletes dropped segments within two minutes (its retention check, then the deletion delay). */
  private static final Duration FRAMES_DELETION_MOST = Duration.ofMinutes(3);
  private static final long FRAMES_WORTH_WAITING_FOR = 1L << 30;
  /** Live warm-up rounds: REALTIME, so each costs its length in wall time. */
  private static final int LIVE_WARMUP_SECONDS = 20;
  /** Live warm-up recordings at once, at least (a 2-core machine holds five live composites). */
  private static final int LIVE_WARMUP_RECORDINGS = 3;
  private static final Set<String> PIPELINE_TOPICS = Set.of(Topics.FRAMES.name(), Topics.PACKETS.name(),
      Topics.FILES.name());

  private final BenchPlan plan;
  private final PrintStream progress;
  private String ffmpeg;
  private Admin admin;
  private Path brokerLogDir;
  private Supplier<List<Thread>> brokerThreads;
  private KafkaClients kafka;
  private Path storage;
  private PhaseProfiler profiler;
  private int whipSeconds;
  private int capacityStepSeconds;
  private int capacityMax;

  public Bench(BenchPlan plan, PrintStream progress) {
    this.plan = plan;
    this.progress = progress;
  }

  /** Profiles each measured in-process phase (raw frames, composite, individual, live) with {@code profiler}. */
  public Bench profiling(PhaseProfiler profiler) {
    this.profiler = profiler;
    return this;
  }

  /** Measures recording one WHIP publisher, VP8 and H.264, beside the same media from a file, {@code seconds} each. */
  public Bench whip(int seconds) {
    if (seconds < 6) {
      throw new IllegalArgumentException("--whip-seconds is at least 6");
    }
    this.whipSeconds = seconds;
    return this;
  }

  /** After the other phases, ramps live recordings up to {@code max}, {@code stepSeconds} per step ({@link CapacityRamp}). */
  public Bench capacity(int stepSeconds, int max) {
    if (stepSeconds < 4 || max < 1) {
      throw new IllegalArgumentException("--capacity-step-seconds is at least 4 and --capacity-max at least 1");
    }
    this.capacityStepSeconds = stepSeconds;
    this.capacityMax = max;
    return this;
  }

  public BenchResults run() throws Exception {
    BenchResults results = new BenchResults(plan);
    Path work = plan.workDir();
    storage = work.resolve("storage");
    ffmpeg = Natives.ffmpegExecutable();
    Encoding e = plan.encoding();
    int fps = e.fps();

    say("generating 4 sources of %d s (and %d s for the warm-up) with %s", plan.seconds(), plan.warmupSeconds(),
        ffmpeg);
    List<Path> sources = sources(work.resolve("inputs"), "src", plan.seconds());
    List<Path> warmSources = plan.warmupSeconds() > 0 ? sources(work.resolve("inputs"), "warm", plan.warmupSeconds())
        : List.of();
    // a capacity step stops its recordings after the step: the sources last a little longer
    List<Path> capacitySources = capacityMax > 0 ? sources(work.resolve("inputs"), "cap", capacityStepSeconds + 4)
        : List.of();

    try (EmbeddedKafka broker = new EmbeddedKafka(work.resolve("kafka"), 0).start()) {
      Map<String, Object> client = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      kafka = new KafkaClients(client);
      brokerLogDir = broker.logDir();
      brokerThreads = broker::liveThreads;
      try (Admin a = Admin.create(client)) {
        admin = a;
        int frameBytes = RawFrameRoundTrip.frameBytes(BenchPlan.SOURCE_WIDTH, BenchPlan.SOURCE_HEIGHT);
        if (plan.composite() > 0) {
          if (plan.warmupSeconds() > 0) {
            say("warm-up: rounds of %d s of raw frames through Kafka, until the JIT settles (at most %d)",
                plan.warmupSeconds(), plan.warmupRounds());
            results.rawFramesWarmUp = JitWarmUp.run(plan.warmupRounds(), round -> RawFrameRoundTrip.run(admin, kafka,
                framesOf(plan.warmupSeconds()) * plan.composite(), frameBytes), line -> say("%s", line));
          }
          say("baseline (b): %d × %d s of raw frames (4 × %dx%d I420 at %d fps) producer → broker → consumer",
              plan.composite(), plan.seconds(), BenchPlan.SOURCE_WIDTH, BenchPlan.SOURCE_HEIGHT, fps);
          results.rawFrames = measureInProcess("raw frames via Kafka", "raw-frames", results, plan.composite(),
              Set.of(RawFrameRoundTrip.TOPIC), () -> RawFrameRoundTrip.run(admin, kafka,
                  framesOf(plan.seconds()) * plan.composite(), frameBytes),
              wall -> (double) plan.seconds() * plan.composite());
          EarlierPhases.deleteTopic(admin, RawFrameRoundTrip.TOPIC);
        }

        try (Deployment deployment = Deployment.start(servicesConfig(broker, work), ServiceCatalog.all(), 0)) {
          awaitReady(deployment);
          JobRunner runner = new JobRunner(deployment.context().kafka());
          if (!warmSources.isEmpty()) {
            say("warm-up: rounds of %d composite + %d individual recordings of %d s, until the JIT settles (at most %d)",
                plan.composite(), plan.individual(), plan.warmupSeconds(), plan.warmupRounds());
            results.pipelineWarmUp = JitWarmUp.run(plan.warmupRounds(), round -> warmUp(runner,
                jobs(warmSources, e, Pacing.FAST, "warmup", plan.composite(), plan.individual()), null),
                line -> say("%s", line));
          }
          if (plan.idleSeconds() > 0) {
            // the JIT compiles what the warm-up made hot for minutes after it: not the idle server's cost
            Duration settle = Duration.ofSeconds(Math.min(IDLE_SETTLE.toSeconds(), plan.idleSeconds()));
            Duration most = Duration.ofSeconds(Math.min(IDLE_SETTLE_MOST.toSeconds(), 4L * plan.idleSeconds()));
            say("idle: every service and the broker, no recording, for %d s, from %d s after the warm-up once the JIT"
                + " is quiet (at most %d s)", plan.idleSeconds(), settle.toSeconds(), most.toSeconds());
            long afterWarmUp = System.nanoTime();
            dropFrames("the warm-up's");
            JitQuiet.Outcome quiet = JitQuiet.await(settle, most);
            results.idleSettle = new JitQuiet.Outcome(Duration.ofNanos(System.nanoTime() - afterWarmUp), quiet.state());
            results.idle = IdleCpu.measure(Duration.ofSeconds(plan.idleSeconds()), brokerThreads);
            say("  idle: %.3f cores (the broker %.3f, the services %.3f, the JVM %.3f)", results.idle.cores(),
                results.idle.brokerCores(), results.idle.servicesCores(), results.idle.jvmCores());
          }
          if (plan.composite() > 0) {
            say("capstan: %d composite recordings of %d s (FAST)", plan.composite(), plan.seconds());
            results.composite = measureJobs("capstan composite", results, runner,
                jobs(sources, e, Pacing.FAST, "composite", plan.composite(), 0), null, "composite");
          }
          if (plan.individual() > 0) {
            say("capstan: %d individual recordings of %d s (FAST)", plan.individual(), plan.seconds());
            results.individual = measureJobs("capstan individual", results, runner,
                jobs(sources, e, Pacing.FAST, "individual", 0, plan.individual()), null, "individual");
          }
          baselines(results, sources);
          if (plan.live()) {
            live(results, runner, sources);
          }
          if (whipSeconds > 0) {
            whip(results, runner, deployment);
          }
          if (capacityMax > 0) {
            capacity(results, runner, deployment, capacitySources);
          }
        }
      }
    }
    return results;
  }

  private void baselines(BenchResults results, List<Path> sources) throws Exception {
    Encoding e = plan.encoding();
    Path out = plan.workDir().resolve("ffmpeg");
    if (plan.composite() > 0) {
      say("baseline (a): %d × ffmpeg composite (xstack, amix, libx264 %s, aac, hls)", plan.composite(), e.preset());
      results.ffmpegComposite = measureChildren("ffmpeg composite", plan.composite(), out.resolve("composite"),
          dir -> FfmpegCommands.composite(ffmpeg, sources, BenchPlan.SOURCE_WIDTH, BenchPlan.SOURCE_HEIGHT, e, dir));
    }
    if (plan.individual() > 0) {
      say("baseline (c): %d × ffmpeg remux (-c copy -f hls)", plan.individual());
      results.ffmpegRemux = measureChildren("ffmpeg remux", plan.individual(), out.resolve("remux"),
          dir -> FfmpegCommands.remux(ffmpeg, sources, e.sliceSeconds(), dir));
      say("baseline (d): %d × ffmpeg individual transcode (libx264 per uid, aac, hls)", plan.individual());
      results.ffmpegTranscode = measureChildren("ffmpeg individual transcode", plan.individual(),
          out.resolve("transcode"), dir -> FfmpegCommands.individualTranscode(ffmpeg, sources,
              BenchPlan.SOURCE_WIDTH, BenchPlan.SOURCE_HEIGHT, e, dir));
    }
  }

  /**
   * Drops what earlier phases left in {@code capstan.frames} and waits for the broker to delete it,
   * so that the next phase neither writes into fresh pages nor pays for the deletion
   * ({@link EarlierPhases}).
   */
  private void dropFrames(String whose) throws Exception {
    long start = System.nanoTime();
    long bytes = EarlierPhases.segmentBytes(brokerLogDir, Topics.FRAMES.name());
    EarlierPhases.dropRecords(admin, Topics.FRAMES.name());
    if (bytes < FRAMES_WORTH_WAITING_FOR) {
      return; // a short run's frames: not worth the broker's two minutes
    }
    boolean deleted = EarlierPhases.awaitDeleted(brokerLogDir, Topics.FRAMES.name(), FRAMES_DELETION_MOST);
    say("  %s frames (%.1f GB) dropped from %s, %s in %.0f s", whose, bytes / 1e9, Topics.FRAMES.name(),
        deleted ? "deleted by the broker" : "not yet deleted by the broker", (System.nanoTime() - start) / 1e9);
  }

  /** One warm-up round's recordings, Stopped after {@code stopAfter} (null: at their end); they must end cleanly. */
  private void warmUp(JobRunner runner, List<JobSpec> jobs, Duration stopAfter) throws Exception {
    JobRunner.Outcome o = runner.run(jobs, stopAfter, plan.timeout());
    if (!o.clean()) {
      throw new IllegalStateException("the warm-up recordings failed: " + o);
    }
  }

  /**
   * The live (REALTIME) runs: FFmpeg's composite reading its inputs at their rate, the composite jobs
   * alone, FFmpeg's composite again, then the individual jobs alone; each measured apart, so each
   * row's CPU is its own.
   */
  private void live(BenchResults results, JobRunner runner, List<Path> sources) throws Exception {
    Encoding e = plan.liveEncoding();
    Duration stopAfter = Duration.ofSeconds(plan.liveSeconds());
    if (plan.composite() > 0) {
      dropFrames("the FAST phases'");
      if (plan.warmupSeconds() > 0) {
        // a live stream takes other paths than a FAST one (a request per few records, the pacing): the JIT's too.
        // Its tail is the code run once per transaction or request, a few times a second per recording:
        // several recordings at once bring it to the compilers' thresholds that many times sooner.
        int seconds = Math.min(LIVE_WARMUP_SECONDS, plan.liveSeconds());
        int recordings = Math.max(plan.composite(), LIVE_WARMUP_RECORDINGS);
        results.liveWarmUpRecordings = recordings;
        say("warm-up: rounds of %d composite recording(s) in REALTIME for %d s, until the JIT settles (at most %d)",
            recordings, seconds, plan.liveWarmupRounds());
        results.liveWarmUp = JitWarmUp.run(plan.liveWarmupRounds(), round -> warmUp(runner,
            jobs(sources, e, Pacing.REALTIME, "warmup", recordings, 0), Duration.ofSeconds(seconds)),
            line -> say("%s", line));
        // the warm-up's recordings leave gigabytes of frames: measured, the live one writes into freed pages too
        dropFrames("the live warm-up's");
      }
      // This machine's speed drifts by 10 % from one minute to the next: the baseline runs before and
      // after Capstan's, and the ratio is over both.
      results.ffmpegLiveCompositeBefore = ffmpegLive(sources, e, "before");
      say("live: %d composite recording(s) in REALTIME for %d s, %d s slices", plan.composite(), plan.liveSeconds(),
          e.sliceSeconds());
      results.liveCompositeRun = measure("capstan live composite", "live-composite", results, runner,
          jobs(sources, e, Pacing.REALTIME, "live-composite", plan.composite(), 0), stopAfter);
      results.liveComposite = latencies(storage.resolve("live-composite"), e.fps());
      results.ffmpegLiveCompositeAfter = ffmpegLive(sources, e, "after");
      results.ffmpegLiveComposite = results.ffmpegLiveCompositeBefore.plus(results.ffmpegLiveCompositeAfter);
    }
    if (plan.individual() > 0) {
      say("live: %d individual recording(s) in REALTIME for %d s, %d s slices", plan.individual(), plan.liveSeconds(),
          e.sliceSeconds());
      results.liveIndividualRun = measure("capstan live individual", "live-individual", results, runner,
          jobs(sources, e, Pacing.REALTIME, "live-individual", 0, plan.individual()), stopAfter);
      results.liveIndividual = latencies(storage.resolve("live-individual"), e.fps());
    }
  }

  /** Baseline (a) live: FFmpeg's composite reading its inputs at their rate, {@code when} Capstan's runs. */
  private Measured ffmpegLive(List<Path> sources, Encoding e, String when) throws Exception {
    say("baseline (a, live, %s capstan's): %d × ffmpeg composite reading its inputs at their rate (-re) for %d s",
        when, plan.composite(), plan.liveSeconds());
    return measureChildren("ffmpeg composite, live", plan.composite(),
        plan.workDir().resolve("ffmpeg").resolve("live-composite-" + when), dir -> FfmpegCommands.realtime(
            FfmpegCommands.composite(ffmpeg, sources, BenchPlan.SOURCE_WIDTH, BenchPlan.SOURCE_HEIGHT, e, dir),
            plan.liveSeconds()));
  }

  /**
   * One WHIP publisher (a JVM of its own: its encoding is not ours) recorded by a 640x360@30
   * composite for {@code whipSeconds}, then the same media read from a file by the same recording;
   * for VP8 and H.264. CPU-s per second of media is the process's CPU over the recording's length.
   */
  private void whip(BenchResults results, JobRunner runner, Deployment deployment) throws Exception {
    Path dir = Files.createDirectories(plan.workDir().resolve("whip"));
    Map<String, Path> media = new LinkedHashMap<>();
    media.put("VP8", dir.resolve("media-vp8.webm"));
    media.put("H264", dir.resolve("media-h264.mp4"));
    for (Map.Entry<String, Path> m : media.entrySet()) {
      boolean vp8 = m.getKey().equals("VP8");
      ChildProcesses.runAll(List.of(List.of(ffmpeg.toString(), "-hide_banner", "-y",
          "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
          "-t", String.valueOf(whipSeconds + 10), "-pix_fmt", "yuv420p", "-g", "60",
          "-c:v", vp8 ? "libvpx" : "libx264", "-b:v", "1000k", "-c:a", vp8 ? "libopus" : "aac", "-ac", "2",
          m.getValue().toString())), dir.resolve("logs"), plan.timeout());
    }
    String api = "http://127.0.0.1:" + deployment.httpPort() + "/v1/apps/bench/whip/";
    HttpClient http = HttpClient.newHttpClient();
    Encoding e = plan.liveEncoding();
    for (Map.Entry<String, Path> m : media.entrySet()) {
      String codec = m.getKey();
      String channel = "bench-whip-" + codec.toLowerCase(Locale.ROOT);
      say("whip: one %s publisher (640x360@30) recorded for %d s, then the same media from a file", codec, whipSeconds);
      String token = new ObjectMapper().readTree(http.send(
          HttpRequest.newBuilder(URI.create(api + channel + "/1/token"))
              .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).path("token").asText();
      Measured viaWhip;
      try (WhipPublisherProcess publisher = WhipPublisherProcess.start(api + channel + "/1", token, codec,
          m.getValue(), dir.resolve("publisher-" + codec + ".log"))) {
        awaitMember(deployment, channel, "1");
        viaWhip = measure("WHIP " + codec + " publisher", "whip-" + codec, results, runner,
            List.of(BenchJobs.channelComposite(channel, 640, 360, 30, e, "whip")), Duration.ofSeconds(whipSeconds));
      }
      String fileChannel = "bench-file-" + codec.toLowerCase(Locale.ROOT);
      announce(deployment, fileChannel, "1", m.getValue().toString());
      Measured viaFile;
      try {
        viaFile = measure("file " + codec, "file-" + codec, results, runner,
            List.of(BenchJobs.channelComposite(fileChannel, 640, 360, 30, e, "whip")), Duration.ofSeconds(whipSeconds));
      } finally {
        announce(deployment, fileChannel, "1", null);
      }
      results.whip.put(codec, new Measured[] {viaWhip, viaFile});
    }
  }

  /** Waits until the channel directory names the uid (the publisher's media flows). */
  private static void awaitMember(Deployment deployment, String channel, String uid) throws Exception {
    try (TopicView<StreamAnnouncement> directory =
             new TopicView<>(deployment.context().kafka(), Topics.CHANNELS, "bench-whip")) {
      directory.start();
      if (directory.await(channel + "/" + uid, Duration.ofSeconds(30)).isEmpty()) {
        throw new IllegalStateException("the WHIP publisher never joined " + channel);
      }
    }
  }

  /** Writes (or with a null url removes) a uid of the channel directory. */
  private static void announce(Deployment deployment, String channel, String uid, String url) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer =
             deployment.context().kafka().producer("bench-directory")) {
      StreamAnnouncement value = url == null ? null : io.capstan.schemas.StreamAnnouncement
          .newBuilder().setChannel(channel).setUid(uid).setUrl(url).setUpdatedUtcMs(System.currentTimeMillis()).build();
      producer.send(new ProducerRecord<>(Topics.CHANNELS.name(), channel + "/" + uid,
          value)).get(30, TimeUnit.SECONDS);
    }
  }

  private List<Double> latencies(Path bucket, int fps) throws IOException {
    return SliceLatency.of(bucket, "", fps);
  }

  private void capacity(BenchResults results, JobRunner runner, Deployment deployment, List<Path> sources)
      throws Exception {
    CapacityRamp ramp = new CapacityRamp(runner, deployment.context().metrics(), storage,
        plan.workDir().resolve("ffmpeg"), ffmpeg, sources, plan.liveEncoding(), capacityStepSeconds, capacityMax,
        plan.timeout(), line -> say("%s", line));
    say("capacity: REALTIME recordings, 1 more per step (%d s each, %d s slices), up to %d, while p99 slice latency"
        + " <= 2 s and no late drops", capacityStepSeconds, plan.liveSlice(), capacityMax);
    dropFrames("the earlier phases'");
    results.capacity.add(ramp.capstanComposite());
    results.capacity.add(ramp.ffmpegComposite());
    results.capacity.add(ramp.capstanIndividual());
    results.capacity.add(ramp.ffmpegRemux());
  }

  private Measured measureJobs(String label, BenchResults results, JobRunner runner, List<JobSpec> jobs,
                               Duration stopAfter, String bucket) throws Exception {
    Measured m = measure(label, bucket, results, runner, jobs, stopAfter);
    for (JobSpec job : jobs) {
      for (Path playlist : Playlists.find(storage.resolve(bucket), job.getJobId())) {
        if (!Playlists.ended(playlist)) {
          throw new IllegalStateException(playlist + " has no #EXT-X-ENDLIST: the recording did not end well");
        }
      }
    }
    return m;
  }

  private Measured measure(String label, String phase, BenchResults results, JobRunner runner, List<JobSpec> jobs,
                           Duration stopAfter) throws Exception {
    JobRunner.Outcome[] outcome = new JobRunner.Outcome[1];
    Measured m = measureInProcess(label, phase, results, jobs.size(), PIPELINE_TOPICS, () -> {
      outcome[0] = runner.run(jobs, stopAfter, plan.timeout());
      return outcome[0].wallSeconds();
    }, wall -> {
      double seconds = 0;
      for (JobSpec job : jobs) {
        seconds += recordingSeconds(job);
      }
      return seconds;
    });
    if (!outcome[0].clean()) {
      throw new IllegalStateException(label + ": recordings did not end cleanly: " + outcome[0]);
    }
    return m;
  }

  private double recordingSeconds(JobSpec job) throws IOException {
    return Playlists.recordingSeconds(storage.resolve(job.getStorage().getBucket()), job.getJobId());
  }

  /** Work in this process: CPU, peak RSS and the bytes the broker took in around it; its CPU profile with --profile. */
  private Measured measureInProcess(String label, String phase, BenchResults results, int jobs, Set<String> topics,
                                    Step step, OutputSeconds outputSeconds) throws Exception {
    settle();
    String load = ProcStatus.loadAverage();
    TopicBytesIn before = TopicBytesIn.of(topics);
    BrokerRequests requestsBefore = BrokerRequests.now();
    boolean peakReset = ProcStatus.resetPeakRss();
    Map<String, Double> threads;
    long cpu;
    long jitMillis;
    double wall;
    try (ThreadCpu threadCpu = new ThreadCpu()) {
      if (profiler != null) {
        profiler.start();
      }
      long cpuBefore = ProcStatus.processCpuNanos();
      jitMillis = JitWarmUp.compilationMillis();
      wall = step.run();
      cpu = ProcStatus.processCpuNanos() - cpuBefore;
      jitMillis = JitWarmUp.compilationMillis() - jitMillis;
      threads = threadCpu.byGroup();
      if (profiler != null) {
        results.profiles.put(phase, profiler.stop(phase));
      }
    }
    long peak = peakReset ? ProcStatus.peakRssBytes() : -1;
    Map<String, Long> bytes = TopicBytesIn.of(topics).since(before);
    Map<String, Long> requests = BrokerRequests.now().since(requestsBefore);
    Usage usage = new Usage(cpu / 1e9, wall, peak);
    Measured m = new Measured(label, jobs, outputSeconds.of(wall), usage, bytes, threads, load, requests);
    say("  %s: %.1f CPU-s (the JIT compiled for %.1f s), %.1f s wall, %.1f output s", label, usage.cpuSeconds(),
        jitMillis / 1e3, wall, m.outputSeconds());
    return m;
  }

  private Measured measureChildren(String label, int count, Path outDir, Function<Path, List<String>> command)
      throws Exception {
    settle();
    String load = ProcStatus.loadAverage();
    List<List<String>> commands = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path dir = Files.createDirectories(outDir.resolve("job" + i));
      dirs.add(dir);
      commands.add(command.apply(dir));
    }
    Usage usage = ChildProcesses.runAll(commands, outDir.resolve("logs"), plan.timeout());
    double seconds = 0;
    for (Path dir : dirs) {
      seconds += Playlists.recordingSeconds(dir, "");
    }
    Measured m = new Measured(label, count, seconds, usage, Map.of(), Map.of(), load);
    say("  %s: %.1f CPU-s, %.1f s wall, %.1f output s", label, usage.cpuSeconds(), usage.wallSeconds(), seconds);
    return m;
  }

  private List<JobSpec> jobs(List<Path> sources, Encoding e, Pacing pacing, String bucket, int composite,
                             int individual) {
    List<JobSpec> jobs = new ArrayList<>();
    for (int i = 0; i < composite; i++) {
      jobs.add(BenchJobs.composite(sources, e, pacing, bucket));
    }
    for (int i = 0; i < individual; i++) {
      jobs.add(BenchJobs.individual(sources, e, pacing, bucket));
    }
    return jobs;
  }

  private List<Path> sources(Path dir, String name, int seconds) throws Exception {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    List<List<String>> commands = new ArrayList<>();
    for (int i = 0; i < BenchPlan.UIDS; i++) {
      Path file = dir.resolve(name + i + ".mp4");
      files.add(file);
      commands.add(FfmpegCommands.source(ffmpeg, i, BenchPlan.SOURCE_WIDTH, BenchPlan.SOURCE_HEIGHT,
          plan.encoding().fps(), seconds, file));
    }
    for (List<String> c : commands) {
      ChildProcesses.runAll(List.of(c), dir.resolve("logs"), plan.timeout());
    }
    return files;
  }

  private long framesOf(int seconds) {
    return (long) BenchPlan.UIDS * plan.encoding().fps() * seconds;
  }

  private Config servicesConfig(EmbeddedKafka broker, Path work) {
    Map<String, String> settings = new HashMap<>();
    settings.put(Config.BOOTSTRAP.name(), broker.bootstrapServers());
    settings.put("uploader.local.root", storage.toString());
    settings.put("notifier.state.dir", work.resolve("notifier-state").toString());
    settings.put("mixer.x264.preset", plan.encoding().preset());
    // The bench records the media files it made itself.
    settings.put(SourcePolicy.FILES.name(), "true");
    return Config.load(null, Map.of(), settings);
  }

  private static void awaitReady(Deployment deployment) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!deployment.ready()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the services were not ready within 120 s");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** A moment between phases so one phase's stragglers (commits, closes) are not billed to the next. */
  private static void settle() throws InterruptedException {
    TimeUnit.SECONDS.sleep(2);
  }

  private void say(String format, Object... args) {
    progress.printf("bench: " + format + "%n", args);
    progress.flush();
  }

  @FunctionalInterface
  private interface Step {
    /** @return wall seconds of the measured work */
    double run() throws Exception;
  }

  @FunctionalInterface
  private interface OutputSeconds {
    double of(double wallSeconds) throws Exception;
  }
}
