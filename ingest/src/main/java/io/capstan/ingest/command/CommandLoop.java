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
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 */
public final class CommandLoop implements Runnable, ConsumerRebalanceListener {

  private static final Logger log = LoggerFactory.getLogger(CommandLoop.class);

  private final Consumer<String, RecordingCommand> consumer;
  private final CommandHandler handler;
  private final JobRegistry registry;
  private final TopicView<JobSpec> jobs;
  private final Duration restoreTimeout;
  private volatile boolean running = true;
  private volatile boolean assigned;
  private final Set<Integer> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public CommandLoop(Consumer<String, RecordingCommand> consumer, CommandHandler handler, JobRegistry registry,
                     TopicView<JobSpec> jobs, Duration restoreTimeout) {
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
      registry.all().forEach(Job::abandon);
      consumer.close();
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
    // At worst the new owner sees a command again, which CommandHandler recognises.
    OffsetCommits.commit(consumer, log);
    let(partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    partitions.forEach(p -> owned.remove(p.partition()));
    let(partitions);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    assigned = true;
    if (partitions.isEmpty()) {
      return;
    }
    Set<Integer> mine = partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    owned.addAll(mine);
    awaitJobs();
    int count = consumer.partitionsFor(Topics.COMMANDS.name()).size();
    for (JobSpec spec : jobs.all().values()) {
      int partition = partitionOf(spec.getJobId(), count);
      if (spec.getRunning() && mine.contains(partition) && registry.get(spec.getJobId()).isEmpty()) {
        try {
          handler.restore(partition, spec);
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

  /**
   * The partition Kafka's default partitioner gives a jobId. capstan.jobs and capstan.commands are
   * created with the same partition count, so a job's spec and commands share the partition number.
   */
  static int partitionOf(String jobId, int partitions) {
    return Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private void let(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      registry.ofPartition(partition.partition()).forEach(Job::abandon);
    }
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
