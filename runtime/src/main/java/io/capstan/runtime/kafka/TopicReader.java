package io.capstan.runtime.kafka;

import org.apache.avro.specific.SpecificRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link TopicView} reads through: every partition of the topic from the beginning, kept
 * current by a background thread, no consumer group. Shared by the views of its holders
 * ({@link SharedViews}); the last holder to let it go stops it.
 */
final class TopicReader<V extends SpecificRecord> {

  private static final Duration CATCH_UP_POLL = Duration.ofMillis(200);
  /** Records and close() end a poll at once, a caller of current() wakes it: nothing else needs the loop. */
  private static final Duration IDLE_POLL = Duration.ofSeconds(30);
  private static final Duration CLOSE_WAIT = Duration.ofMillis(100);

  private static final Logger log = LoggerFactory.getLogger(TopicReader.class);

  private final TopicSpec<V> topic;
  private final KafkaConsumer<String, V> consumer;
  private final Map<String, V> values = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile boolean caughtUp;
  /** Set once the reader is in its poll loop: only then may a caller wake it (see {@link #current}). */
  private volatile boolean polling;
  /** The views reading through this reader; the last to close stops it. */
  private final AtomicInteger holders = new AtomicInteger(1);
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicLong fencesAsked = new AtomicLong();
  private volatile long fencesPassed;

  TopicReader(KafkaClients kafka, TopicSpec<V> topic, String clientId) {
    this.topic = topic;
    this.consumer = kafka.consumer(topic, null, clientId,
        java.util.Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
            KafkaClients.IDLE_FETCH_WAIT_MS));
    this.thread = new Thread(this::run, "view-" + topic.name());
    this.thread.setDaemon(true);
  }

  /** Starts reading; a shared reader's second start finds it reading already. */
  void start() {
    if (started.compareAndSet(false, true)) {
      thread.start();
    }
  }

  /** One more holder, who must release it too; false once the last holder has released it. */
  boolean share() {
    return holders.getAndUpdate(n -> n == 0 ? 0 : n + 1) > 0;
  }

  boolean caughtUp() {
    return caughtUp;
  }

  /** Waits until every record that was on the topic when the view started has been read. */
  boolean awaitCaughtUp(Duration timeout) {
    awaitUntil(() -> caughtUp, timeout);
    return caughtUp;
  }

  Optional<V> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** A snapshot of every current value. */
  Map<String, V> all() {
    return Map.copyOf(values);
  }

  /** The value of {@code key}, waiting up to {@code timeout} for it to arrive. */
  Optional<V> await(String key, Duration timeout) {
    awaitUntil(() -> values.containsKey(key), timeout);
    return get(key);
  }

  /**
   * The value of {@code key} as the topic holds it now. A key the view has not seen yet is waited
   * for until the view has read everything on the topic at the time of the call (the end offsets
   * asked after this call began), so a value written before the call is never missed because the
   * view lagged; {@code timeout} bounds the wait when the broker is slow or away.
   */
  Optional<V> current(String key, Duration timeout) {
    Optional<V> known = get(key);
    if (known.isPresent()) {
      return known;
    }
    long ticket = fencesAsked.incrementAndGet();
    if (polling && ticket == fencesPassed + 1) {
      // no fence under way: the reader may sit in an idle poll, so make it ask for the end offsets now
      consumer.wakeup();
    }
    awaitUntil(() -> values.containsKey(key) || fencesPassed >= ticket, timeout);
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
      Fence fence = null;
      polling = true;
      while (running.get()) {
        try {
          long asked = fencesAsked.get();
          if (fence == null && asked > fencesPassed) {
            fence = new Fence(asked, consumer.endOffsets(partitions));
          }
          if (fence != null && reached(fence.ends)) { // often already there: no poll to wait for
            synchronized (values) {
              fencesPassed = fence.ticket;
              values.notifyAll();
            }
            fence = null;
            continue;
          }
          // quick polls while someone waits (startup, a fence), then idle ones: records still wake it at once
          readSome(caughtUp && fence == null ? IDLE_POLL : CATCH_UP_POLL);
          if (!caughtUp && reached(ends)) {
            synchronized (values) {
              caughtUp = true;
              values.notifyAll();
            }
          }
        } catch (WakeupException e) {
          if (!running.get()) {
            throw e;
          }
          // a caller of current() wants the end offsets asked now: the loop does that first
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          // the broker away: callers' waits end at their timeouts; keep reading once it is back
          log.warn("{}: {}; reading on", topic.name(), e.getMessage());
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

  private void readSome(Duration wait) {
    for (ConsumerRecord<String, V> record : consumer.poll(wait)) {
      synchronized (values) {
        if (record.value() == null) {
          values.remove(record.key());
        } else {
          values.put(record.key(), record.value());
        }
        values.notifyAll();
      }
    }
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** Callers up to {@code ticket} wait until the reader has reached {@code ends}. */
  private record Fence(long ticket, Map<TopicPartition, Long> ends) {
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

  /** A holder is done with it: the last one's release stops it. */
  void release() {
    if (holders.updateAndGet(n -> Math.max(0, n - 1)) == 0) {
      stop();
    }
  }

  /** Stops the reader whoever still holds it (the process is shutting down). */
  void stop() {
    holders.set(0);
    if (!running.getAndSet(false)) {
      return;
    }
    if (started.compareAndSet(false, true)) { // never read: no reader to close the consumer
      consumer.close(CLOSE_WAIT);
      return;
    }
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
