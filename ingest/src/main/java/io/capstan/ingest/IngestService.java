package io.capstan.ingest;

import io.capstan.runtime.kafka.GroupMembership;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.ingest.command.CommandHandler;
import io.capstan.ingest.command.CommandLoop;
import io.capstan.ingest.directory.ChannelDirectory;
import io.capstan.ingest.job.Job;
import io.capstan.ingest.job.JobContext;
import io.capstan.ingest.job.JobRegistry;
import io.capstan.ingest.job.JobTicker;
import io.capstan.ingest.publish.FrameSender;
import io.capstan.ingest.source.StreamOpener;
import io.capstan.ingest.stored.StoredSources;
import io.capstan.storage.LocalRoot;
import io.capstan.storage.StoreFactory;
import java.nio.file.Path;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.source.SourcePolicy;
import io.capstan.runtime.spec.JobSpecValidator;
import io.capstan.runtime.spec.SpecLimits;
import io.capstan.runtime.config.Setting;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.media.Natives;
import io.capstan.runtime.service.Service;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.serde.AvroTrust;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest: owns job lifecycles (capstan.commands, group capstan-ingest), opens each job's streams
 * with FFmpeg and publishes raw frames, stream states and watermarks to capstan.frames.
 */
public final class IngestService implements Service {

  public static final String GROUP = "capstan-ingest";

  public static final Setting<Integer> HTTP_PORT = Setting.integer("ingest.http.port", 8081,
      "port of ingest's /health, /ready and /metrics");
  public static final Setting<Integer> MAX_IN_FLIGHT = Setting.integer("ingest.frames.max.in.flight", 4,
      "pictures one source may have unacknowledged by Kafka (each ~350 KB at 360p; its sound has a window of its own)");
  public static final Setting<Duration> WATERMARK_INTERVAL = Setting.duration("ingest.watermark.interval",
      Duration.ofMillis(100), "how often each uid's watermark is re-sent when it has not moved (at most 200ms)");
  public static final Setting<Duration> RECONNECT_MAX_BACKOFF = Setting.duration("ingest.reconnect.max.backoff",
      Duration.ofSeconds(10), "longest wait between attempts to reopen a lost live stream");
  public static final Setting<Duration> SOURCE_IO_TIMEOUT = Setting.duration("ingest.source.io.timeout",
      Duration.ofSeconds(10), "a live stream silent for this long is treated as lost");
  public static final Setting<Duration> STOP_TIMEOUT = Setting.duration("ingest.stop.timeout",
      Duration.ofSeconds(5), "how long ending a job waits for each of its source readers");
  /** heartbeat.interval.ms of the command consumer: how soon a rebalance's next round reaches every member. */
  static final int INGEST_HEARTBEAT_MS = 500;
  public static final Setting<Duration> GROUP_SESSION_TIMEOUT = GroupMembership.sessionTimeout("ingest",
      Duration.ofSeconds(10), "recordings");
  public static final Setting<String> GROUP_INSTANCE_ID = GroupMembership.instanceId("ingest");
  public static final Setting<Duration> LATE_SKIP = Setting.duration("ingest.late.skip",
      JobContext.DEFAULT_LATE_SKIP, "a live source of a composite job this far behind the wall clock (an overloaded"
          + " machine) decodes without publishing pictures until it catches up: the mixer would drop them; 0: never");
  public static final Setting<Duration> RESTORE_TIMEOUT = Setting.duration("ingest.restore.timeout",
      Duration.ofSeconds(30), "how long a newly assigned partition waits for capstan.jobs before resuming jobs");
  public static final Setting<Duration> HANDOFF_LEAD = Setting.duration("ingest.handoff.lead", Duration.ofSeconds(3),
      "a live recording whose partition moves to another instance (one joining, or leaving cleanly) goes on here"
          + " this long, and the other writes it from that point on: no hole, no overlap, if the other opens the"
          + " sources within it; 0: it stops at once and the other resumes it with a discontinuity");
  public static final Setting<Integer> SOURCE_MAX_PIXELS = Setting.integer("ingest.source.max.pixels",
      StreamOpener.DEFAULT_MAX_PIXELS, "decoded pictures larger than this many pixels are scaled down to it (keeping "
          + "their shape) before they are published");
  public static final Setting<Integer> MAX_JOBS = Setting.integer("ingest.max.jobs", 32,
      "the most recordings one instance runs at once; a start past it is refused (error 503, exitStatus 4)");

  private static final Logger log = LoggerFactory.getLogger(IngestService.class);
  private static final Duration HOUSEKEEPING = Duration.ofMillis(500);

  private final ServiceContext context;
  private final Config config;
  private final JobRegistry registry = new JobRegistry();
  private KafkaProducer<String, SpecificRecord> producer;
  private TopicView<JobSpec> jobs;
  private ChannelDirectory directory;
  private JobTicker ticker;
  private ExecutorService control;
  private CommandLoop loop;
  private StreamOpener opener;
  private Thread loopThread;

  public IngestService(ServiceContext context) {
    this.context = context;
    this.config = context.config();
  }

  public static List<Setting<?>> settings() {
    List<Setting<?>> all = new java.util.ArrayList<>(List.of(MAX_IN_FLIGHT, WATERMARK_INTERVAL, RECONNECT_MAX_BACKOFF,
        SOURCE_IO_TIMEOUT, STOP_TIMEOUT, GROUP_SESSION_TIMEOUT, GROUP_INSTANCE_ID, LATE_SKIP, RESTORE_TIMEOUT, HANDOFF_LEAD, MAX_JOBS, SOURCE_MAX_PIXELS, LocalRoot.SETTING,
        SourcePolicy.FILES, AddressPolicy.ALLOW_PRIVATE));
    all.addAll(io.capstan.runtime.rtc.RtcConfig.settings());
    all.addAll(SpecLimits.settings());
    return List.copyOf(all);
  }

  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public synchronized void start() {
    // Builders with defaults (Transcoding on UpdateLayout) resolve schemas to classes too, not only the serde.
    AvroTrust.install();
    Natives.require();
    producer = context.kafka().producer(context.clientId("ingest", "producer"), KafkaClients.FRAMES_PRODUCER);
    jobs = context.views().open(Topics.JOBS);
    jobs.start();
    directory = new ChannelDirectory(context.kafka(), context.clientId("ingest", "channels"));
    directory.start();
    control = Executors.newSingleThreadExecutor(daemon("ingest-control"));
    opener = new StreamOpener(config.get(SOURCE_IO_TIMEOUT), config.get(SOURCE_MAX_PIXELS),
        io.capstan.webrtc.RtcConfigs.settings(io.capstan.runtime.rtc.RtcConfig.of(config)));
    JobContext jobContext = new JobContext(producer, new FrameSender(producer, context.metrics()),
        opener, directory, control, config.get(MAX_IN_FLIGHT),
        config.get(RECONNECT_MAX_BACKOFF), config.get(STOP_TIMEOUT),
        new StoredSources(new StoreFactory(Path.of(config.get(LocalRoot.SETTING)))
            .checkingEndpoints(AddressPolicy.of(config.get(AddressPolicy.ALLOW_PRIVATE)))))
        .lateSkip(config.get(LATE_SKIP))
        .validator(new JobSpecValidator(SourcePolicy.of(config), SpecLimits.of(config)))
        .maxJobs(config.get(MAX_JOBS));
    // A recording moved to a joining instance (a replacement, a scale-out) is not read between the
    // round that takes it from its owner and the round that gives it to the newcomer, and the other
    // members learn of that second round only at their next heartbeat (2.5 s apart by default): a
    // hole in the media. Ingest alone keeps the shortest interval; the stages after it resume exactly.
    Map<String, Object> member = new HashMap<>(GroupMembership.consumerSettings(config.get(GROUP_SESSION_TIMEOUT),
        Duration.ofMillis(INGEST_HEARTBEAT_MS), config.get(GROUP_INSTANCE_ID)));
    member.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
    KafkaConsumer<String, RecordingCommand> consumer = context.kafka().consumer(Topics.COMMANDS, GROUP,
        context.clientId("ingest", "commands"), member);
    loop = new CommandLoop(consumer, new CommandHandler(registry, jobContext), registry, jobs,
        config.get(RESTORE_TIMEOUT), config.get(HANDOFF_LEAD));
    Duration heartbeat = config.get(WATERMARK_INTERVAL);
    long heartbeatNanos = heartbeat.toNanos();
    ticker = new JobTicker(registry, "ingest-ticker")
        .every(heartbeat, job -> job.tick(heartbeatNanos))
        .every(HOUSEKEEPING, Job::housekeeping);
    Gauge.builder("capstan.ingest.jobs", registry, r -> r.all().size()).description("jobs running on this instance")
        .register(context.metrics());
    Gauge.builder("capstan.ingest.jobs.handing.over", registry, r -> r.leaving().size())
        .description("jobs whose partition moved, recorded here until the point where the next owner writes them")
        .register(context.metrics());
    loopThread = new Thread(loop, "ingest-commands");
    loopThread.start();
  }

  /** The command partitions (and so the jobs' partitions) this instance owns now. */
  public java.util.Set<Integer> partitions() {
    return loop == null ? java.util.Set.of() : loop.owned();
  }

  /** The jobs this instance owns now (not those it still records while handing them over). */
  public List<String> jobIds() {
    return registry.owned().stream().map(Job::jobId).sorted().toList();
  }

  @Override
  public boolean healthy() {
    return loopThread != null && loopThread.isAlive();
  }

  @Override
  public boolean ready() {
    return loop != null && loop.assigned();
  }

  @Override
  public synchronized void close() {
    if (loop == null) {
      return;
    }
    loop.close();
    try {
      loopThread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ticker.close();
    control.shutdown();
    try {
      control.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    directory.close();
    jobs.close();
    opener.close();
    producer.close(Duration.ofSeconds(10));
    loop = null;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
