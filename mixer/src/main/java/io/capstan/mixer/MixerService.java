package io.capstan.mixer;

import io.capstan.mixer.handover.HandoverNote;
import io.capstan.mixer.handover.InheritedNote;
import io.capstan.mixer.handover.InputHold;
import io.capstan.mixer.handover.ResumePoint;
import io.capstan.mixer.image.ImagePool;
import io.capstan.mixer.image.ImageSettings;
import io.capstan.mixer.job.IndividualJob;
import io.capstan.mixer.job.JobHooks;
import io.capstan.mixer.job.JobMixer;
import io.capstan.mixer.job.MixJob;
import io.capstan.mixer.metrics.MixerMetrics;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.config.Setting;
import io.capstan.runtime.events.Events;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.kafka.stage.StageClients;
import io.capstan.runtime.kafka.stage.StageOptions;
import io.capstan.runtime.kafka.stage.StageProcessor;
import io.capstan.runtime.kafka.stage.StageSettings;
import io.capstan.runtime.kafka.stage.TransactionalStage;
import io.capstan.runtime.media.Natives;
import io.capstan.runtime.service.Service;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StopCommand;
import io.capstan.schemas.VideoFrame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mixer service: consumes capstan.frames (group capstan-mixer), runs one {@link JobMixer} per
 * composite (or web) job and one {@link IndividualJob} per individual job (whose frames are the
 * uids ingest could not pass through), and writes the packets to capstan.packets. It is the
 * {@link StageProcessor} of a {@link TransactionalStage}: each poll batch is one Kafka transaction,
 * the packets it produced and the batch's offsets commit together, so a restarted instance neither
 * loses nor repeats committed output; when a transaction's output is thrown away, its jobs start
 * again from the committed offsets (resuming, like a new owner).
 *
 * <p>A partition's committed offset stays back at the oldest record its jobs' output still needs
 * (pictures and sound in the jitter buffers and the encoder's lookahead: {@link InputHold}), and its
 * metadata says where each job's committed output ends ({@link HandoverNote}): a new owner replays
 * those records and goes on at exactly that frame, so a handover loses no frame and repeats none.
 */
public final class MixerService implements Service {

  public static final String NAME = "mixer";
  public static final String GROUP = "capstan-mixer";

  public static final Setting<Integer> HTTP_PORT = Setting.integer("mixer.http.port", 8082,
      "port of the mixer's health, readiness and metrics endpoints");
  public static final Setting<String> X264_PRESET = Setting.string("mixer.x264.preset", "veryfast",
      "libx264 preset of the composite video (ultrafast ... veryslow)");
  public static final Setting<Integer> X264_THREADS = Setting.integer("mixer.x264.threads", 0,
      "libx264 threads per job (0: libx264 decides from the cores)");
  public static final Setting<Duration> JITTER_BUFFER = Setting.duration("mixer.jitter.buffer", Duration.ofMillis(500),
      "wall-clock wait for a lagging uid of a live (REALTIME) job, to start with");
  public static final Setting<Duration> JITTER_BUFFER_MAX = Setting.duration("mixer.jitter.buffer.max",
      Duration.ofSeconds(3), "how far the wait grows while a uid's media keeps coming late (output latency for"
          + " pictures and sound not lost); back to mixer.jitter.buffer after 30 s without late media");
  public static final Setting<Duration> SPEC_WAIT = Setting.duration("mixer.spec.wait", Duration.ofSeconds(5),
      "how long a job's first frame waits for its JobSpec while capstan.jobs cannot be read up to its end (a spec"
          + " already written is always found; inside a transaction: keep it below mixer.transaction.timeout)");
  public static final Setting<Integer> MAX_JOBS = Setting.integer("mixer.max.jobs", 16,
      "the most recordings one mixer instance mixes; a new one past it is refused (error 503) and stopped; set it"
          + " from capstan bench --capacity");
  public static final Setting<Integer> THREADS = Setting.integer("mixer.threads", 0,
      "jobs composed and encoded side by side (0: as many as the machine has cores)");
  public static final Setting<Integer> MAX_PENDING_FRAMES = Setting.integer("mixer.max.pending.frames", 90,
      "video frames kept per uid ahead of the output; beyond it the oldest are dropped");
  /** mixer.group.session.timeout, mixer.transaction.timeout, mixer.group.instance.id. */
  public static final StageSettings STAGE = StageSettings.of(NAME);

  private static final Logger log = LoggerFactory.getLogger(MixerService.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final int ERROR_BAD_RECORD = 1;
  private static final int ERROR_NO_SPEC = 2;
  private static final int ERROR_MIXING = 3;
  private static final int ERROR_NO_CAPACITY = 503;
  /** A job first seen this soon after it started is new here (not one handed over from another mixer). */
  private static final long NEW_JOB_MS = 30_000;
  /**
   * How long a job of an inherited note may take to send its first record before it is taken for
   * gone (a running job's ingest sends a watermark every fraction of a second).
   */
  private static final Duration CLAIM_WINDOW = Duration.ofSeconds(60);
  private static final int WARN_IMAGE = 1;

  private final ServiceContext context;
  private final JobMixer.Options options;
  private final Duration specWait;
  private final int maxJobs;
  private final TopicView<JobSpec> specs;
  private final Map<String, MixJob> jobs = new HashMap<>();
  private final Map<String, TopicPartition> jobPartitions = new HashMap<>();
  /** Per job: the input offsets its output still needs. */
  private final Map<String, InputHold> holds = new HashMap<>();
  /** Per assigned partition: the next offset to read (past every record seen). */
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  /** Where the previous owner's committed output of each job not opened here yet ended (the committed notes). */
  private final Map<TopicPartition, InheritedNote> inheritedNotes = new HashMap<>();
  /** Jobs not to mix (finished, failed); bounded. */
  private final Set<String> skipped = boundedSet(10_000);
  /** Jobs whose JobSpec did not come in time: later records only look, without waiting. */
  private final Set<String> specMissing = boundedSet(10_000);
  /** Jobs put in skipped or specMissing by the open transaction: taken out again if its output is thrown away. */
  private final Set<String> skippedNow = new HashSet<>();
  private final Set<String> specMissingNow = new HashSet<>();
  private final Set<TopicPartition> consumedBefore = new HashSet<>();
  private final StageOptions stageOptions;
  private final Counter framesCounter;
  private final Counter packetsCounter;
  private final MixerMetrics metrics;
  private final ImageSettings imageSettings;
  /** Fetches and decodes every job's images off the mixing loop; from start() to close(). */
  private ImagePool images;
  /** Runs the jobs' composition and encoding side by side; from start() to close(). */
  private ExecutorService advancing;
  private final int threads;
  private TransactionalStage<MediaRecord> stage;
  /** The stage's producer of the transaction in progress. */
  private Producer<String, SpecificRecord> producer;

  public MixerService(ServiceContext context) {
    this.context = context;
    Config config = context.config();
    this.options = new JobMixer.Options(config.get(X264_PRESET), config.get(X264_THREADS),
        config.get(JITTER_BUFFER).toMillis(), config.get(JITTER_BUFFER_MAX).toMillis(), config.get(MAX_PENDING_FRAMES));
    this.specWait = config.get(SPEC_WAIT);
    this.maxJobs = config.get(MAX_JOBS);
    int configured = config.get(THREADS);
    this.threads = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    this.imageSettings = ImageSettings.from(config);
    this.stageOptions = STAGE.read(config, POLL);
    this.metrics = new MixerMetrics(context.metrics());
    this.specs = context.views().open(Topics.JOBS);
    this.framesCounter = Counter.builder("capstan_mixer_records").description("capstan.frames records consumed")
        .register(context.metrics());
    this.packetsCounter = Counter.builder("capstan_mixer_packets").description("packets produced to capstan.packets")
        .register(context.metrics());
  }

  public static List<Setting<?>> settings() {
    List<Setting<?>> all = new ArrayList<>(List.of(X264_PRESET, X264_THREADS, JITTER_BUFFER, JITTER_BUFFER_MAX,
        SPEC_WAIT, MAX_PENDING_FRAMES, MAX_JOBS, THREADS));
    all.addAll(STAGE.list());
    all.addAll(ImageSettings.settings());
    return List.copyOf(all);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized void start() {
    Natives.require();
    images = new ImagePool(imageSettings);
    AtomicInteger mixers = new AtomicInteger();
    advancing = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "mixer-job-" + mixers.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    Gauge.builder("capstan_mixer_image_fetches", images, ImagePool::inFlight)
        .description("background and placeholder images waiting to be fetched or being fetched")
        .register(context.metrics());
    specs.start();
    stage = new TransactionalStage<>(stageOptions, Topics.FRAMES.name(),
        StageClients.kafka(context, Topics.FRAMES, GROUP, NAME, "packets", stageOptions), new Mixing(), context.metrics());
    stage.start();
  }

  @Override
  public boolean healthy() {
    return stage != null && stage.healthy();
  }

  @Override
  public boolean ready() {
    return stage != null && stage.ready();
  }

  @Override
  public List<String> notReady() {
    return stage == null ? List.of(NAME) : stage.waitingFor();
  }

  /** What the mixer does in each transaction, and when partitions come, go or start again. */
  private final class Mixing implements StageProcessor<MediaRecord> {
    @Override
    public Map<TopicPartition, OffsetAndMetadata> process(ConsumerRecords<String, MediaRecord> records,
                                                          Producer<String, SpecificRecord> out) {
      producer = out;
      long now = System.currentTimeMillis();
      for (ConsumerRecord<String, MediaRecord> record : records) {
        handle(record, now);
      }
      advanceAll(System.currentTimeMillis());
      Set<TopicPartition> partitions = new HashSet<>(records.partitions());
      partitions.addAll(jobPartitions.values());
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata offset = commitPoint(partition);
        if (offset != null) {
          offsets.put(partition, offset);
        }
      }
      return offsets;
    }

    @Override
    public boolean idle() {
      return jobs.isEmpty();
    }

    @Override
    public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
      skippedNow.clear();
      specMissingNow.clear();
    }

    @Override
    public void assigned(Map<TopicPartition, OffsetAndMetadata> committed) {
      committed.forEach((partition, offset) -> {
        if (offset != null) {
          consumedBefore.add(partition);
          positions.put(partition, offset.offset());
          inheritedNotes.put(partition, new InheritedNote(offset.offset(), HandoverNote.decode(offset.metadata()),
              System.currentTimeMillis() + CLAIM_WINDOW.toMillis()));
        } else {
          consumedBefore.remove(partition);
          positions.remove(partition);
          inheritedNotes.remove(partition);
        }
      });
    }

    /** The batch's output is void: its jobs start again from the committed offsets (a restart). */
    @Override
    public void reset(Map<TopicPartition, OffsetAndMetadata> committed) {
      closeJobs(jobPartitions.entrySet().stream().filter(e -> committed.containsKey(e.getValue()))
          .map(Map.Entry::getKey).toList());
      // A job that ended or failed in the thrown-away output ends (or fails) again when replayed.
      skipped.removeAll(skippedNow);
      specMissing.removeAll(specMissingNow);
      skippedNow.clear();
      specMissingNow.clear();
      assigned(committed);
    }

    /** Jobs move with their partition: a new owner resumes them (with a discontinuity). */
    @Override
    public void revoked(Collection<TopicPartition> partitions) {
      closeJobs(jobPartitions.entrySet().stream().filter(e -> partitions.contains(e.getValue()))
          .map(Map.Entry::getKey).toList());
      partitions.forEach(positions::remove);
      partitions.forEach(inheritedNotes::remove);
    }

    @Override
    public void stopped() {
      closeJobs(jobs.keySet());
    }
  }

  /**
   * The offset to commit for a partition: past every record read, but not past the oldest one its
   * jobs' output still needs; with the note of where each job's committed output ends.
   */
  private OffsetAndMetadata commitPoint(TopicPartition partition) {
    Long position = positions.get(partition);
    if (position == null) {
      return null;
    }
    long offset = position;
    Map<String, Map<String, ResumePoint>> points = new LinkedHashMap<>();
    for (Map.Entry<String, TopicPartition> e : jobPartitions.entrySet()) {
      if (!e.getValue().equals(partition)) {
        continue;
      }
      MixJob job = jobs.get(e.getKey());
      InputHold hold = holds.get(e.getKey());
      long needed = hold == null ? -1 : hold.release(job.needs());
      if (needed >= 0) {
        offset = Math.min(offset, needed);
      }
      Map<String, ResumePoint> emitted = job.emitted();
      if (!emitted.isEmpty()) {
        points.put(e.getKey(), emitted);
      }
    }
    InheritedNote inherited = inheritedNotes.get(partition);
    if (inherited != null) {
      int before = inherited.unclaimedCount();
      offset = inherited.carryOn(points, offset, System.currentTimeMillis());
      if (before > 0 && inherited.unclaimedCount() == 0) {
        log.warn("{}: {} job(s) of the previous owner's note sent nothing for {}; their resume points are dropped",
            partition, before, CLAIM_WINDOW);
      }
    }
    return new OffsetAndMetadata(offset, HandoverNote.encode(points));
  }

  private void handle(ConsumerRecord<String, MediaRecord> record, long now) {
    framesCounter.increment();
    positions.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
    MediaRecord value = record.value();
    if (value == null) {
      return;
    }
    String jobId = value.getJobId() != null ? value.getJobId() : record.key();
    if (jobId == null || skipped.contains(jobId)) {
      InheritedNote inherited = jobId == null ? null
          : inheritedNotes.get(new TopicPartition(record.topic(), record.partition()));
      if (inherited != null) {
        inherited.forget(jobId);
      }
      return;
    }
    MixJob job = jobs.get(jobId);
    if (job == null) {
      try {
        job = open(jobId, new TopicPartition(record.topic(), record.partition()));
      } catch (RuntimeException e) {
        log.error("job {}: cannot start mixing", jobId, e);
        skip(jobId);
        error(jobId, ERROR_MIXING, "cannot start mixing: " + e.getMessage());
        return;
      }
      if (job == null) {
        return;
      }
    }
    InputHold hold = holds.get(jobId);
    if (hold != null && value.getBody() instanceof VideoFrame) {
      hold.video(value.getUid(), value.getTimestampUs(), record.offset());
    } else if (hold != null && value.getBody() instanceof AudioFrame) {
      hold.audio(value.getUid(), value.getTimestampUs(), record.offset());
    }
    try {
      job.accept(value, now);
    } catch (RuntimeException e) {
      // a malformed record is skipped; the job goes on
      String body = value.getBody() == null ? "record" : value.getBody().getClass().getSimpleName();
      error(jobId, ERROR_BAD_RECORD, "skipped a " + body + " of uid '" + value.getUid() + "' at "
          + value.getTimestampUs() + " us: " + e.getMessage());
    }
  }

  private MixJob open(String jobId, TopicPartition partition) {
    JobSpec spec;
    if (specMissing.contains(jobId)) {
      spec = specs.get(jobId).orElse(null);
    } else {
      spec = specs.current(jobId, specWait).orElse(null);
    }
    if (spec == null) {
      if (specMissing.add(jobId)) {
        specMissingNow.add(jobId);
        error(jobId, ERROR_NO_SPEC, "no JobSpec on " + Topics.JOBS.name() + " after " + specWait
            + "; the job's frames are skipped until it appears");
      }
      return null;
    }
    specMissing.remove(jobId);
    boolean mayResume = consumedBefore.contains(partition);
    if (jobs.size() >= maxJobs && !mayResume && System.currentTimeMillis() - spec.getStartedUtcMs() < NEW_JOB_MS) {
      refuse(spec);
      return null;
    }
    JobHooks hooks = new JobHooks(metrics, message -> warning(jobId, message), images);
    InheritedNote note = mayResume ? inheritedNotes.get(partition) : null;
    Map<String, ResumePoint> takeOver = note == null ? null : note.claim(jobId);
    takeOver = takeOver == null ? Map.of() : takeOver;
    MixJob job = spec.getMode() == RecordingMode.INDIVIDUAL
        ? new IndividualJob(spec, options, this::sendPacket, mayResume, takeOver, hooks)
        : new JobMixer(spec, options, this::sendPacket, mayResume, takeOver.get(""), hooks);
    jobs.put(jobId, job);
    jobPartitions.put(jobId, partition);
    holds.put(jobId, new InputHold());
    log.info("job {}: mixing {} {}x{}", jobId, spec.getMode(), // individual: each uid at its own size
        spec.getTranscoding() == null ? 360 : spec.getTranscoding().getWidth(),
        spec.getTranscoding() == null ? 640 : spec.getTranscoding().getHeight());
    return job;
  }

  /**
   * A new recording past mixer.max.jobs: refused with an error event and stopped (a Stop command to
   * ingest, in the same transaction), rather than slowing every recording this mixer mixes.
   * Recordings handed over from another mixer are taken whatever the count: they were running.
   */
  private void refuse(JobSpec spec) {
    String jobId = spec.getJobId();
    skip(jobId);
    // fatal: the recording ends here
    event(jobId, Events.fatal(NAME, ERROR_NO_CAPACITY, "no capacity: the mixer that owns this recording mixes "
        + jobs.size() + " recordings already (mixer.max.jobs); the recording is stopped, start it again later or add"
        + " mixers"));
    producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), jobId, RecordingCommand.newBuilder().setJobId(jobId)
        .setCommandId(UUID.randomUUID().toString()).setIssuedUtcMs(System.currentTimeMillis())
        .setAction(StopCommand.newBuilder().setAsync(true).build()).build()));
  }

  /**
   * Composes and encodes every job as far as it can go, the jobs side by side on the mixing pool:
   * one recording's heavy canvas or slow encoder does not hold back the others' output.
   */
  private void advanceAll(long now) {
    List<MixJob> all = List.copyOf(jobs.values());
    List<Callable<Void>> runs = new ArrayList<>(all.size());
    for (MixJob job : all) {
      runs.add(() -> {
        job.advance(now);
        return null;
      });
    }
    List<Future<Void>> outcomes;
    try {
      outcomes = all.size() == 1 ? List.of(runNow(runs.get(0))) : advancing.invokeAll(runs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
    KafkaException producing = null;
    for (int i = 0; i < all.size(); i++) {
      MixJob job = all.get(i);
      Throwable failure = failureOf(outcomes.get(i));
      if (failure instanceof KafkaException e) {
        producing = producing == null ? e : producing; // the transaction's output: the stage recovers
        continue;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      if (failure != null) {
        RuntimeException e = (RuntimeException) failure;
        log.error("job {}: mixing failed", job.jobId(), e);
        error(job.jobId(), ERROR_MIXING, "mixing failed: " + e.getMessage());
        skip(job.jobId());
        job.close();
        forget(job.jobId());
        continue;
      }
      if (job.finished()) {
        skip(job.jobId());
        forget(job.jobId());
      }
    }
    if (producing != null) {
      throw producing;
    }
  }

  private static Future<Void> runNow(Callable<Void> run) {
    FutureTask<Void> task = new FutureTask<>(run);
    task.run();
    return task;
  }

  private static Throwable failureOf(Future<Void> outcome) {
    try {
      outcome.get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  private void skip(String jobId) {
    if (skipped.add(jobId)) {
      skippedNow.add(jobId);
    }
  }

  private void sendPacket(EncodedPacket packet) {
    packetsCounter.increment();
    producer.send(new ProducerRecord<>(Topics.PACKETS.name(), packet.getJobId(), packet));
  }

  private void error(String jobId, int code, String message) {
    event(jobId, Events.error(NAME, code, message));
  }

  /** An error event of the job; logged. */
  private void event(String jobId, io.capstan.schemas.RecordingError details) {
    log.warn("job {}: {}", jobId, details.getErrorMsg());
    JobSpec spec = specs.get(jobId).orElse(null);
    producer.send(new ProducerRecord<>(Topics.EVENTS.name(), jobId, spec != null ? Events.of(spec, details)
        : Events.of(jobId, "", "", details)));
  }

  private void warning(String jobId, String message) {
    log.warn("job {}: {}", jobId, message);
    JobSpec spec = specs.get(jobId).orElse(null);
    Object details = Events.warning(NAME, WARN_IMAGE, message);
    producer.send(new ProducerRecord<>(Topics.EVENTS.name(), jobId, spec != null ? Events.of(spec, details)
        : Events.of(jobId, "", "", details)));
  }

  private void closeJobs(Collection<String> jobIds) {
    for (String jobId : List.copyOf(jobIds)) {
      MixJob job = jobs.get(jobId);
      forget(jobId);
      if (job != null) {
        job.close();
      }
    }
  }

  private void forget(String jobId) {
    jobs.remove(jobId);
    jobPartitions.remove(jobId);
    holds.remove(jobId);
  }

  private static Set<String> boundedSet(int max) {
    return java.util.Collections.newSetFromMap(new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > max;
      }
    });
  }

  @Override
  public void close() {
    if (stage != null) {
      stage.close();
    }
    specs.close();
    if (images != null) {
      images.close();
    }
    if (advancing != null) {
      advancing.shutdownNow();
    }
  }
}
