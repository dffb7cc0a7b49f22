package io.capstan.runtime.kafka;

import org.apache.avro.specific.SpecificRecord;
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
 * An in-memory view of a compacted topic ({@code capstan.jobs}, {@code capstan.status}): every
 * partition read from the beginning, kept current by a background thread, no consumer group.
 * Whoever meets a key it has not seen yet can wait for it with {@link #await}.
 */
public final class TopicView<V extends SpecificRecord> implements AutoCloseable {

  private static final Duration CATCH_UP_POLL = Duration.ofMillis(200);
  private static final Duration IDLE_POLL = Duration.ofSeconds(2);
  private static final Duration CLOSE_WAIT = Duration.ofMillis(100);

  private static final Logger log = LoggerFactory.getLogger(TopicView.class);

  private final TopicSpec<V> topic;
  private final KafkaConsumer<String, V> consumer;
  private final Map<String, V> values = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile boolean caughtUp;

  public TopicView(KafkaClients kafka, TopicSpec<V> topic, String clientId) {
    this.topic = topic;
    this.consumer = kafka.consumer(topic, null, clientId,
        java.util.Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
            KafkaClients.IDLE_FETCH_WAIT_MS));
    this.thread = new Thread(this::run, "view-" + topic.name());
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public boolean caughtUp() {
    return caughtUp;
  }

  /** Waits until every record that was on the topic when the view started has been read. */
  public boolean awaitCaughtUp(Duration timeout) {
    awaitUntil(() -> caughtUp, timeout);
    return caughtUp;
  }

  public Optional<V> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** A snapshot of every current value. */
  public Map<String, V> all() {
    return Map.copyOf(values);
  }

  /** The value of {@code key}, waiting up to {@code timeout} for it to arrive. */
  public Optional<V> await(String key, Duration timeout) {
    awaitUntil(() -> values.containsKey(key), timeout);
    return get(key);
  }

  /** Waits (woken by every change the reader makes) until {@code done}, the timeout, or close. */
  private void awaitUntil(java.util.function.BooleanSupplier done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (values) {
      while (!done.getAsBoolean() && running.get()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          values.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void run() {
    try {
      List<TopicPartition> partitions = partitions();
      if (partitions.isEmpty()) {
        return;
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (running.get()) {
        // quick polls until caught up (startup waits on it), then idle ones: records still wake it at once
        for (ConsumerRecord<String, V> record : consumer.poll(caughtUp ? IDLE_POLL : CATCH_UP_POLL)) {
          synchronized (values) {
            if (record.value() == null) {
              values.remove(record.key());
            } else {
              values.put(record.key(), record.value());
            }
            values.notifyAll();
          }
        }
        if (!caughtUp && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          synchronized (values) {
            caughtUp = true;
            values.notifyAll();
          }
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (RuntimeException e) {
      log.error("stopped reading {}", topic.name(), e);
    } finally {
      // No group, nothing to commit: do not wait for the fetch in flight (up to fetch.max.wait.ms).
      consumer.close(CLOSE_WAIT);
    }
  }

  /**
   * The topic's partitions. A topic created a moment ago may have no metadata yet: ask again
   * rather than read nothing forever.
   */
  private List<TopicPartition> partitions() {
    long backoffMs = 100;
    while (running.get()) {
      List<org.apache.kafka.common.PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      }
      log.info("waiting for topic {} to appear", topic.name());
      synchronized (values) {
        try {
          values.wait(backoffMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return List.of();
        }
      }
      backoffMs = Math.min(backoffMs * 2, 5000);
    }
    return List.of();
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    synchronized (values) {
      values.notifyAll();
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
