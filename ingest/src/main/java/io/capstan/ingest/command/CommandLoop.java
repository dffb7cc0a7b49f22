package io.capstan.ingest.command;

import io.capstan.ingest.job.Job;
import io.capstan.ingest.job.JobRegistry;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.LoopRetry;
import io.capstan.runtime.kafka.OffsetCommits;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command consumer (group capstan-ingest). Owning a partition of capstan.commands means owning
 * its jobs: when a partition arrives, its running jobs are resumed from capstan.jobs; when it goes,
 * its jobs are let go without ending them, since the new owner carries on.
 *
 * <p>Make before break: a partition taken away in a rebalance (an instance joining or leaving
 * cleanly) is not dropped mid-recording. Its live jobs go on here for {@code handOffLead} and
 * stop at a point on their timelines that the last commit of the partition names
 * ({@link HandOffNote}); the next owner reads it, opens the sources at once and writes from that
 * point. A partition lost (this instance's session timed out) has no such note: its jobs stop
 * at once and the next owner resumes them with a discontinuity.
 */
public final class CommandLoop implements Runnable, ConsumerRebalanceListener {

  private static final Logger log = LoggerFactory.getLogger(CommandLoop.class);
  private static final Duration POSITION_WAIT = Duration.ofSeconds(5);

  private final Consumer<String, RecordingCommand> consumer;
  private final CommandHandler handler;
  private final JobRegistry registry;
  private final TopicView<JobSpec> jobs;
  private final Duration restoreTimeout;
  private final Duration handOffLead;
  private volatile boolean running = true;
  private volatile boolean assigned;
  private final Set<Integer> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** {@code handOffLead}: how long a job of a partition that moves goes on here (0: it stops at once). */
  public CommandLoop(Consumer<String, RecordingCommand> consumer, CommandHandler handler, JobRegistry registry,
                     TopicView<JobSpec> jobs, Duration restoreTimeout, Duration handOffLead) {
    this.handOffLead = handOffLead;
    this.consumer = consumer;
    this.handler = handler;
    this.registry = registry;
    this.jobs = jobs;
    this.restoreTimeout = restoreTimeout;
  }

  /** True once the group gave this instance its partitions (possibly none). */
  public boolean assigned() {
    return assigned;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(Topics.COMMANDS.name()), this);
      // The broker away, a coordinator moving: the jobs go on, and so does the loop.
      LoopRetry retry = new LoopRetry("command loop", log);
      while (running) {
        retry.round(this::pollOnce);
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // Leaving the group hands the partitions over (when the group is told: a static member is not
      // until its session ends); the jobs handing over go on until their point, then stop.
      try {
        consumer.close();
      } finally {
        awaitHandOffs();
        registry.all().forEach(Job::abandon);
      }
    }
  }

  private void awaitHandOffs() {
    long deadline = System.nanoTime() + handOffLead.toNanos() + TimeUnit.SECONDS.toNanos(3);
    while (!registry.leaving().isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void pollOnce() throws InterruptedException {
    ConsumerRecords<String, RecordingCommand> records;
    try {
      records = consumer.poll(Duration.ofMillis(500));
    } catch (RecordDeserializationException e) {
      log.warn("skipping an unreadable command at {} offset {}: {}", e.topicPartition(), e.offset(),
          e.getMessage());
      consumer.seek(e.topicPartition(), e.offset() + 1);
      return;
    }
    for (ConsumerRecord<String, RecordingCommand> record : records) {
      handle(record);
    }
    if (!records.isEmpty()) {
      OffsetCommits.commit(consumer, log);
    }
  }

  private void handle(ConsumerRecord<String, RecordingCommand> record) throws InterruptedException {
    if (record.value() == null) {
      return;
    }
    try {
      handler.handle(record.partition(), record.value());
    } catch (RuntimeException e) {
      log.error("job {}: command {} failed", record.key(), record.value().getCommandId(), e);
    }
  }

  /** The command partitions this instance owns now. */
  public Set<Integer> owned() {
    return Set.copyOf(owned);
  }

  public void close() {
    running = false;
    consumer.wakeup();
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    partitions.forEach(p -> owned.remove(p.partition()));
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Map<TopicPartition, HandOffNote> notes = new HashMap<>();
    for (TopicPartition partition : partitions) {
      Map<String, Long> planned = new LinkedHashMap<>();
      if (!handOffLead.isZero()) {
        for (Job job : registry.ofPartition(partition.partition())) {
          if (job.canHandOff()) {
            planned.put(job.jobId(), job.handOffPoint(handOffLead.toNanos() / 1000));
          }
        }
      }
      HandOffNote note = HandOffNote.fitting(planned);
      try {
        offsets.put(partition, new OffsetAndMetadata(consumer.position(partition, POSITION_WAIT), note.encode()));
        notes.put(partition, note);
      } catch (KafkaException e) {
        log.warn("{}: no position to commit ({}); its jobs stop at once", partition, e.toString());
      }
    }
    // At worst the new owner sees a command again, which CommandHandler recognises. Without the
    // commit it does not know where the jobs stop: they stop now and it resumes them from now.
    boolean committed = false;
    try {
      committed = !offsets.isEmpty() && OffsetCommits.commit(consumer, offsets, log);
    } finally {
      if (!committed) {
        notes.clear();
      }
      letGo(partitions, notes);
    }
  }

  /** The jobs of {@code partitions} hand over at the points of their notes, or stop at once. */
  private void letGo(Collection<TopicPartition> partitions, Map<TopicPartition, HandOffNote> notes) {
    for (TopicPartition partition : partitions) {
      HandOffNote note = notes.getOrDefault(partition, HandOffNote.empty());
      for (Job job : registry.ofPartition(partition.partition())) {
        Long until = note.untilUs().get(job.jobId());
        if (until == null) {
          job.abandon();
        } else {
          registry.leave(job);
          job.handOff(until);
        }
      }
    }
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    partitions.forEach(p -> owned.remove(p.partition()));
    letGo(partitions, Map.of()); // no commit, so no note: every job stops at once
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    assigned = true;
    if (partitions.isEmpty()) {
      return;
    }
    Set<Integer> mine = partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    owned.addAll(mine);
    Map<String, Long> handedOver = handOffNotes(partitions);
    awaitJobs();
    int count = consumer.partitionsFor(Topics.COMMANDS.name()).size();
    Map<String, JobSpec> specs = new HashMap<>(jobs.all());
    for (String jobId : handedOver.keySet()) {
      // Handed over while it records: its spec may be newer than this view (a job started a moment ago).
      if (!specs.containsKey(jobId)) {
        jobs.current(jobId, restoreTimeout).ifPresent(spec -> specs.put(jobId, spec));
      }
    }
    for (JobSpec spec : specs.values()) {
      int partition = partitionOf(spec.getJobId(), count);
      if (spec.getRunning() && mine.contains(partition) && registry.get(spec.getJobId()).isEmpty()) {
        // Written up to there by the previous owner, or by this instance as it let the job go.
        long fromUs = Math.max(handedOver.getOrDefault(spec.getJobId(), Long.MIN_VALUE),
            registry.leavingUntilUs(spec.getJobId()));
        try {
          handler.restore(partition, spec, fromUs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (RuntimeException e) {
          log.error("job {}: could not be resumed", spec.getJobId(), e);
        }
      }
    }
    log.info("owning command partitions {}", mine);
  }

  /** Where the previous owners of {@code partitions} stop writing the jobs they hand over (their commits' notes). */
  private Map<String, Long> handOffNotes(Collection<TopicPartition> partitions) {
    Map<String, Long> found = new HashMap<>();
    try {
      consumer.committed(Set.copyOf(partitions), POSITION_WAIT).values().stream().filter(Objects::nonNull)
          .forEach(offset -> found.putAll(HandOffNote.decode(offset.metadata()).untilUs()));
    } catch (KafkaException e) {
      log.warn("cannot read the hand-over notes of {} ({}); their jobs resume from now", partitions, e.toString());
    }
    return found;
  }

  /**
   * The partition Kafka's default partitioner gives a jobId. capstan.jobs and capstan.commands are
   * created with the same partition count, so a job's spec and commands share the partition number.
   */
  static int partitionOf(String jobId, int partitions) {
    return Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private void awaitJobs() {
    long deadline = System.nanoTime() + restoreTimeout.toNanos();
    while (!jobs.caughtUp() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (!jobs.caughtUp()) {
      log.warn("capstan.jobs not read within {}: resuming the jobs seen so far", restoreTimeout);
    }
  }
}
