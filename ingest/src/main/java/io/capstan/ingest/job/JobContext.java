package io.capstan.ingest.job;

import io.capstan.ingest.directory.ChannelDirectory;
import io.capstan.ingest.publish.FrameSender;
import io.capstan.ingest.source.StreamOpener;
import io.capstan.ingest.stored.StoredSources;
import io.capstan.ingest.web.WebJob;
import io.capstan.storage.StoreFactory;
import io.capstan.runtime.events.Events;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.source.SourcePolicy;
import io.capstan.runtime.spec.JobSpecValidator;
import io.capstan.runtime.spec.SpecLimits;
import io.capstan.schemas.JobSpec;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * What every job of one ingest instance shares: the one producer, the stream opener, the channel
 * directory, a thread for jobs that end themselves, and the instance's limits.
 */
public final class JobContext {

  public static final String MODULE = "ingest";

  private final Producer<String, SpecificRecord> producer;
  private final FrameSender frames;
  private final StreamOpener opener;
  private final ChannelDirectory directory;
  private final ExecutorService control;
  private final int maxInFlight;
  private final Duration maxBackoff;
  private final Duration stopTimeout;
  private final StoredSources storedSources;
  private final WebJob.Settings web;
  private volatile Duration lateSkip = DEFAULT_LATE_SKIP;
  private volatile JobSpecValidator validator = new JobSpecValidator(SourcePolicy.OPEN, SpecLimits.DEFAULTS);
  private volatile int maxJobs = Integer.MAX_VALUE;

  /** Past the mixer's default longest wait for a lagging uid (mixer.jitter.buffer.max, 3 s). */
  public static final Duration DEFAULT_LATE_SKIP = Duration.ofSeconds(4);

  public JobContext(Producer<String, SpecificRecord> producer, FrameSender frames, StreamOpener opener,
                    ChannelDirectory directory, ExecutorService control, int maxInFlight, Duration maxBackoff,
                    Duration stopTimeout) {
    this(producer, frames, opener, directory, control, maxInFlight, maxBackoff, stopTimeout, defaultStoredSources(),
        WebJob.Settings.defaults());
  }

  /** {@code storedSources}: where post-processing jobs read recordings back from. */
  public JobContext(Producer<String, SpecificRecord> producer, FrameSender frames, StreamOpener opener,
                    ChannelDirectory directory, ExecutorService control, int maxInFlight, Duration maxBackoff,
                    Duration stopTimeout, StoredSources storedSources) {
    this(producer, frames, opener, directory, control, maxInFlight, maxBackoff, stopTimeout, storedSources,
        WebJob.Settings.defaults());
  }

  public JobContext(Producer<String, SpecificRecord> producer, FrameSender frames, StreamOpener opener,
                    ChannelDirectory directory, ExecutorService control, int maxInFlight, Duration maxBackoff,
                    Duration stopTimeout, WebJob.Settings web) {
    this(producer, frames, opener, directory, control, maxInFlight, maxBackoff, stopTimeout, defaultStoredSources(),
        web);
  }

  /** {@code storedSources}: where post-processing jobs read recordings back from; {@code web}: web jobs' tools. */
  public JobContext(Producer<String, SpecificRecord> producer, FrameSender frames, StreamOpener opener,
                    ChannelDirectory directory, ExecutorService control, int maxInFlight, Duration maxBackoff,
                    Duration stopTimeout, StoredSources storedSources, WebJob.Settings web) {
    this.storedSources = storedSources;
    this.web = web;
    this.producer = producer;
    this.frames = frames;
    this.opener = opener;
    this.directory = directory;
    this.control = control;
    this.maxInFlight = maxInFlight;
    this.maxBackoff = maxBackoff;
    this.stopTimeout = stopTimeout;
  }

  public FrameSender frames() {
    return frames;
  }

  public StreamOpener opener() {
    return opener;
  }

  public ChannelDirectory directory() {
    return directory;
  }

  public ExecutorService control() {
    return control;
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public Duration stopTimeout() {
    return stopTimeout;
  }

  /** How far behind the wall clock a live composite source stops publishing pictures (set before jobs start). */
  public JobContext lateSkip(Duration lateSkip) {
    this.lateSkip = lateSkip;
    return this;
  }

  public Duration lateSkip() {
    return lateSkip;
  }

  /** The check every Start and Update passes (set before jobs start): the gateway's rules, applied again. */
  public JobContext validator(JobSpecValidator validator) {
    this.validator = validator;
    return this;
  }

  public JobSpecValidator validator() {
    return validator;
  }

  /** The most jobs this instance runs at once (set before jobs start); a Start past it is refused. */
  public JobContext maxJobs(int maxJobs) {
    this.maxJobs = maxJobs;
    return this;
  }

  public int maxJobs() {
    return maxJobs;
  }

  public StoredSources storedSources() {
    return storedSources;
  }

  /** How web jobs find Chromium, Xvfb and PulseAudio and how long a page may take to answer. */
  public WebJob.Settings web() {
    return web;
  }

  private static StoredSources defaultStoredSources() {
    return new StoredSources(new StoreFactory(java.nio.file.Path.of(io.capstan.storage.LocalRoot.SETTING.defaultValue())));
  }

  /** Sends one of the job's events (capstan.events, key jobId). */
  public void event(JobSpec spec, Object details) {
    Events.sendUntilWritten(producer, Events.of(spec, details));
  }

  public void event(String jobId, String channel, String recorderUid, Object details) {
    Events.sendUntilWritten(producer, Events.of(jobId, channel, recorderUid, details));
  }

  /**
   * Writes the spec to capstan.jobs and waits for the broker: the other services read it before
   * they read the job's first frame, so it must be stored first.
   */
  public void writeSpec(JobSpec spec) throws InterruptedException {
    try {
      producer.send(new ProducerRecord<>(Topics.JOBS.name(), spec.getJobId(), spec)).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new KafkaException("cannot write job " + spec.getJobId() + " to " + Topics.JOBS.name(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException("timed out writing job " + spec.getJobId() + " to " + Topics.JOBS.name(), e);
    }
  }
}
