package io.capstan.runtime.jobs;

import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.JobSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every service's view of the compacted {@code capstan.jobs}: all partitions read from the
 * beginning into memory (specs are small), kept current by a background thread. A service that
 * meets a record for a job it has not seen yet waits for the spec with {@link #await}.
 */
public final class JobTable implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JobTable.class);

  private final KafkaConsumer<String, JobSpec> consumer;
  private final Map<String, JobSpec> specs = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile boolean caughtUp;

  public JobTable(KafkaClients kafka, String clientId) {
    this.consumer = kafka.consumer(Topics.JOBS, null, clientId);
    this.thread = new Thread(this::run, "job-table");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public boolean caughtUp() {
    return caughtUp;
  }

  public Optional<JobSpec> get(String jobId) {
    return Optional.ofNullable(specs.get(jobId));
  }

  /** The spec of {@code jobId}, waiting up to {@code timeout} for it to arrive. */
  public Optional<JobSpec> await(String jobId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (specs) {
      while (!specs.containsKey(jobId) && running.get()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          specs.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return get(jobId);
  }

  private void run() {
    try {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOBS.name(), Duration.ofMinutes(2)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (running.get()) {
        for (ConsumerRecord<String, JobSpec> record : consumer.poll(Duration.ofMillis(200))) {
          synchronized (specs) {
            if (record.value() == null) {
              specs.remove(record.key());
            } else {
              specs.put(record.key(), record.value());
            }
            specs.notifyAll();
          }
        }
        if (!caughtUp && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          caughtUp = true;
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (RuntimeException e) {
      log.error("the job table stopped reading {}", Topics.JOBS.name(), e);
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    synchronized (specs) {
      specs.notifyAll();
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
