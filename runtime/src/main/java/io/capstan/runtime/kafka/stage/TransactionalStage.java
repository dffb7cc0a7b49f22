package io.capstan.runtime.kafka.stage;

import io.capstan.runtime.kafka.Backoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * consume → process → produce → commit, one Kafka transaction per gathering of polls (records that
 * came within {@link StageOptions#gather()} of the first, at most {@link #GATHER_MAX} of them), on a thread of its own,
 * that no transient failure ends. A call that timed out is retried as the same call; an abortable
 * failure aborts; a fenced or broken producer is replaced by a new one with the same
 * transactional.id; after either, the {@link StageProcessor} resets and the records come again
 * from the committed offsets. While it waits for Kafka the stage is not {@link #ready()} and says
 * what it waits for. Only a permanent failure (no rights, an unsupported broker) ends it, and then
 * it is no longer {@link #healthy()}.
 *
 * @param <V> the consumed record values
 */
public final class TransactionalStage<V> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TransactionalStage.class);
  /** A Kafka call blocked this long makes the stage not ready (max.block.ms is a minute by default). */
  static final Duration SLOW_CALL = Duration.ofSeconds(5);
  /** How long a poll waits while the processor has nothing to do by the clock (records still wake it at once). */
  private static final Duration IDLE_POLL = Duration.ofSeconds(2);
  /** How long a rebalance callback waits for committed offsets before the loop takes over (with retries). */
  private static final Duration ASSIGN_WAIT = Duration.ofSeconds(10);
  /** The most records one transaction gathers from several polls (one poll brings up to max.poll.records). */
  static final int GATHER_MAX = 200;

  private final StageOptions options;
  private final String topic;
  private final StageClients<V> clients;
  private final StageProcessor<V> processor;
  private final MeterRegistry metrics;
  private final Backoff backoff;
  private final AtomicBoolean running = new AtomicBoolean();
  private final Object pause = new Object();
  /** Assigned partitions whose committed offsets could not be read in the rebalance callback. */
  private final Set<TopicPartition> unresolved = new HashSet<>();
  private final Counter transactions;
  private final Counter aborts;
  private final Counter producerRestarts;
  private Thread thread;
  private Consumer<String, V> consumer;
  private Producer<String, SpecificRecord> producer;
  /** Partitions revoked or lost during the last poll: records gathered of them before it are the next owner's. */
  private final Set<TopicPartition> revokedInPoll = new HashSet<>();
  /** A processor failure inside a rebalance callback, thrown by the loop after the poll. */
  private RuntimeException callbackFailure;
  private volatile boolean failed;
  private volatile boolean served;
  /** What the last failed call was; null once a transaction committed again. */
  private volatile String retrying;
  private volatile String blockedIn;
  private volatile long blockedSinceNanos;

  public TransactionalStage(StageOptions options, String topic, StageClients<V> clients, StageProcessor<V> processor,
                            MeterRegistry metrics) {
    this.options = options;
    this.topic = topic;
    this.clients = clients;
    this.processor = processor;
    this.metrics = metrics;
    this.backoff = new Backoff(options.retryInitial(), options.retryMax());
    this.transactions = Counter.builder("capstan_stage_transactions").tag("stage", options.name())
        .description("transactions committed (one with no output and no offsets to move stays in the client)")
        .register(metrics);
    this.aborts = Counter.builder("capstan_stage_aborts").tag("stage", options.name())
        .description("transactions aborted, their input replayed").register(metrics);
    this.producerRestarts = Counter.builder("capstan_stage_producer_restarts").tag("stage", options.name())
        .description("transactional producers replaced (fenced or broken), their input replayed").register(metrics);
    Gauge.builder("capstan_stage_ready", this, s -> s.ready() ? 1 : 0).tag("stage", options.name())
        .description("1 while the stage commits its transactions, 0 while it waits for Kafka").register(metrics);
  }

  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException(options.name() + " already started");
    }
    running.set(true);
    thread = new Thread(this::run, options.name());
    thread.start();
  }

  /** True while the loop runs: only a permanent failure (or close) ends it. */
  public boolean healthy() {
    Thread t = thread;
    return running.get() && !failed && t != null && t.isAlive();
  }

  /** True once a transaction committed and while nothing waits for Kafka. */
  public boolean ready() {
    return healthy() && served && waiting() == null;
  }

  /** What the stage waits for, for {@code /ready}: empty when ready. */
  public List<String> waitingFor() {
    if (!healthy()) {
      return List.of(options.name());
    }
    String waiting = waiting();
    if (waiting != null) {
      return List.of(options.name() + " (Kafka: " + waiting + ")");
    }
    return served ? List.of() : List.of(options.name() + " (first poll)");
  }

  private String waiting() {
    String blocked = blockedIn;
    if (blocked != null && System.nanoTime() - blockedSinceNanos > SLOW_CALL.toNanos()) {
      return blocked;
    }
    return retrying;
  }

  private void run() {
    try {
      consumer = clients.consumer();
      producer = initializedProducer();
      consumer.subscribe(List.of(topic), new Listener());
      while (running.get()) {
        // short polls until the first is served (readiness waits on it), then long ones while idle
        ConsumerRecords<String, V> records = poll(served && processor.idle() ? IDLE_POLL : options.pollTimeout());
        if (records != null) {
          ConsumerRecords<String, V> resolved = resolveAssigned(gathered(records));
          // nothing read and nothing to do by the clock: no transaction at all (an empty one would not
          // reach the broker either), and the stage is as ready as after one
          if (!resolved.isEmpty() || !processor.idle()) {
            transact(resolved);
          } else {
            retrying = null;
            served = true;
            backoff.reset();
          }
        }
      }
    } catch (Stopping e) {
      log.debug("{} stopping", options.name());
    } catch (PermanentFailure e) {
      failed = true;
      log.error("{} stopped: {} failed and retrying cannot help", options.name(), e.getMessage(), e.getCause());
    } catch (RuntimeException e) {
      failed = true;
      log.error("{} stopped", options.name(), e);
    } finally {
      try {
        processor.stopped();
      } catch (RuntimeException e) {
        log.warn("{}: stopping the processor failed", options.name(), e);
      }
      closeQuietly(consumer);
      closeQuietly(producer, Duration.ofSeconds(5));
    }
  }

  /** @return null when the poll failed (and was waited out) or a record was skipped */
  private ConsumerRecords<String, V> poll(Duration timeout) {
    ConsumerRecords<String, V> records = null;
    revokedInPoll.clear();
    blocked("poll");
    try {
      records = consumer.poll(timeout);
    } catch (WakeupException e) {
      stopIfClosed();
    } catch (RecordDeserializationException e) {
      // Not a record of this topic's type: skip it (the next commit moves the offset past it).
      log.warn("{}: skipping an unreadable record at {} offset {}", options.name(), e.topicPartition(), e.offset(), e);
      consumer.seek(e.topicPartition(), e.offset() + 1);
    } catch (KafkaException e) {
      permanentIf("poll", e);
      retried("poll", e);
    } finally {
      unblocked();
    }
    if (callbackFailure != null) {
      throw callbackFailure;
    }
    return records;
  }

  /**
   * Once a poll brought records, polls for more until {@link StageOptions#gather()} has passed or
   * {@link #GATHER_MAX} records are in, so that one transaction takes them all. A rebalance in
   * between leaves out what was gathered of the partitions it took (nothing of them is processed or
   * committed: they are read again, by whoever owns them now).
   */
  private ConsumerRecords<String, V> gathered(ConsumerRecords<String, V> first) {
    if (first.isEmpty() || options.gather().isZero() || first.count() >= GATHER_MAX) {
      return first;
    }
    Map<TopicPartition, List<ConsumerRecord<String, V>>> all = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    int count = add(first, all, next);
    long deadline = System.nanoTime() + options.gather().toNanos();
    long leftMs;
    // whole milliseconds: a poll of 0 ms would not wait at all
    while (count < GATHER_MAX && (leftMs = (deadline - System.nanoTime() + 999_999) / 1_000_000) > 0) {
      ConsumerRecords<String, V> more = poll(Duration.ofMillis(leftMs));
      all.keySet().removeAll(revokedInPoll);
      next.keySet().removeAll(revokedInPoll);
      if (more == null) {
        break;
      }
      count = add(more, all, next);
    }
    return new ConsumerRecords<>(all, next);
  }

  /** @return how many records {@code all} holds now */
  private int add(ConsumerRecords<String, V> records, Map<TopicPartition, List<ConsumerRecord<String, V>>> all,
                  Map<TopicPartition, OffsetAndMetadata> next) {
    for (TopicPartition tp : records.partitions()) {
      all.computeIfAbsent(tp, k -> new ArrayList<>()).addAll(records.records(tp));
    }
    next.putAll(records.nextOffsets());
    return all.values().stream().mapToInt(List::size).sum();
  }

  /** One transaction: begin, process, send the offsets, commit; or recover and reset. */
  private void transact(ConsumerRecords<String, V> records) {
    try {
      producer.beginTransaction();
    } catch (KafkaException | IllegalStateException e) {
      recover("beginTransaction", e, false);
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets;
    try {
      offsets = processor.process(records, producer);
    } catch (KafkaException e) {
      recover("producing", e, true);
      return;
    }
    try {
      if (!offsets.isEmpty()) {
        call("sendOffsetsToTransaction", () -> producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata()));
      }
      call("commitTransaction", producer::commitTransaction);
    } catch (KafkaException | IllegalStateException e) {
      recover(e instanceof IllegalStateException ? "the transaction" : "committing", e, true);
      return;
    }
    transactions.increment();
    processor.committed(offsets);
    retrying = null;
    served = true;
    backoff.reset();
  }

  /**
   * After a failed transaction: abort it, or replace the producer, as the failure calls for; then,
   * if the transaction had output, reset every assigned partition to its committed offset.
   */
  private void recover(String step, RuntimeException e, boolean outputOpen) {
    Recovery recovery = Recovery.of(e);
    permanentIf(step, e);
    retrying = step;
    if (recovery == Recovery.RETRY || recovery == Recovery.ABORT) {
      // A timeout here was no blocking transactional call (a send's, seen by the processor): abortable.
      log.warn("{}: {} failed ({}); aborting the transaction and replaying from the committed offsets",
          options.name(), step, e.toString(), e);
      aborts.increment();
      try {
        call("abortTransaction", producer::abortTransaction);
      } catch (KafkaException | IllegalStateException abortFailure) {
        permanentIf("abortTransaction", abortFailure);
        log.warn("{}: the abort failed too ({}); replacing the producer", options.name(), abortFailure.toString());
        recovery = Recovery.NEW_PRODUCER;
      }
    } else {
      log.warn("{}: {} failed ({}); replacing the producer and replaying from the committed offsets",
          options.name(), step, e.toString(), e);
    }
    if (recovery == Recovery.NEW_PRODUCER) {
      producerRestarts.increment();
      closeQuietly(producer, Duration.ZERO);
      producer = null;
      producer = initializedProducer();
    }
    if (outputOpen) {
      resetAssigned();
    }
  }

  /** A new producer whose initTransactions completed; retried while the broker is away. */
  private Producer<String, SpecificRecord> initializedProducer() {
    while (true) {
      Producer<String, SpecificRecord> p = clients.producer();
      try {
        call("initTransactions", p::initTransactions);
        return p;
      } catch (KafkaException | IllegalStateException e) {
        closeQuietly(p, Duration.ZERO);
        permanentIf("initTransactions", e);
        retried("initTransactions", e);
      } catch (RuntimeException e) {
        closeQuietly(p, Duration.ZERO);
        throw e;
      }
    }
  }

  /**
   * One blocking transactional call; a timeout is retried as the same call, with backoff, for as
   * long as the stage runs. Anything else is thrown.
   */
  private void call(String name, Runnable call) {
    while (true) {
      blocked(name);
      try {
        call.run();
        return;
      } catch (TimeoutException | InterruptException e) {
        if (e instanceof InterruptException) {
          Thread.interrupted(); // nobody interrupts the stage on purpose; close() sets running instead
        }
        stopIfClosed();
        retried(name, e);
      } finally {
        unblocked();
      }
    }
  }

  /** Seeks every assigned partition back to its committed offset and has the processor start them again. */
  private void resetAssigned() {
    Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
    if (assigned.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = committed(assigned);
    seekTo(committed);
    Map<TopicPartition, OffsetAndMetadata> known = new HashMap<>(committed);
    Map<TopicPartition, OffsetAndMetadata> fresh = new HashMap<>();
    for (TopicPartition tp : unresolved) {
      if (known.containsKey(tp)) {
        fresh.put(tp, known.remove(tp));
      }
    }
    unresolved.clear();
    if (!fresh.isEmpty()) {
      processor.assigned(fresh);
    }
    if (!known.isEmpty()) {
      processor.reset(known);
    }
  }

  /**
   * Partitions whose committed offsets the rebalance callback could not read: read them now (with
   * retries), seek there, and leave their records of this poll out: they come again from there.
   */
  private ConsumerRecords<String, V> resolveAssigned(ConsumerRecords<String, V> records) {
    if (unresolved.isEmpty()) {
      return records;
    }
    Set<TopicPartition> partitions = new HashSet<>(unresolved);
    partitions.retainAll(consumer.assignment());
    if (partitions.isEmpty()) {
      unresolved.clear();
      return records;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = committed(partitions);
    seekTo(committed);
    unresolved.clear();
    processor.assigned(committed);
    Map<TopicPartition, List<ConsumerRecord<String, V>>> kept = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      if (!partitions.contains(tp)) {
        kept.put(tp, records.records(tp));
        OffsetAndMetadata n = records.nextOffsets().get(tp);
        if (n != null) {
          next.put(tp, n);
        }
      }
    }
    return new ConsumerRecords<>(kept, next);
  }

  /** The committed offsets of {@code partitions}, every one a key (null: never committed); retried. */
  private Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
    while (true) {
      blocked("committed offsets");
      try {
        Map<TopicPartition, OffsetAndMetadata> found = consumer.committed(partitions);
        Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>();
        for (TopicPartition tp : partitions) {
          all.put(tp, found.get(tp));
        }
        return all;
      } catch (WakeupException e) {
        stopIfClosed();
      } catch (KafkaException e) {
        permanentIf("reading the committed offsets", e);
        retried("committed offsets", e);
      } finally {
        unblocked();
      }
    }
  }

  private void seekTo(Map<TopicPartition, OffsetAndMetadata> committed) {
    committed.forEach((tp, offset) -> {
      if (offset != null) {
        consumer.seek(tp, offset);
      } else {
        consumer.seekToBeginning(List.of(tp));
      }
    });
  }

  private void retried(String what, RuntimeException e) {
    retrying = what;
    Counter.builder("capstan_stage_retries").tag("stage", options.name()).tag("call", what)
        .description("Kafka calls of the stage retried after a timeout or a transient failure")
        .register(metrics).increment();
    long wait = backoff.nextMillis();
    log.warn("{}: {} failed ({}); trying again in {} ms", options.name(), what, e.toString(), wait);
    synchronized (pause) {
      long until = System.currentTimeMillis() + wait;
      long left = wait;
      while (running.get() && left > 0) {
        try {
          pause.wait(left);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
        left = until - System.currentTimeMillis();
      }
    }
    stopIfClosed();
  }

  private void permanentIf(String step, RuntimeException e) {
    if (Recovery.of(e) == Recovery.PERMANENT) {
      throw new PermanentFailure(step, e);
    }
  }

  private void stopIfClosed() {
    if (!running.get()) {
      throw new Stopping();
    }
  }

  private void blocked(String call) {
    blockedSinceNanos = System.nanoTime();
    blockedIn = call;
  }

  private void unblocked() {
    blockedIn = null;
  }

  /** Stops the loop (the transaction in progress commits if it can), then closes the clients. */
  @Override
  public void close() {
    if (!running.getAndSet(false)) {
      return;
    }
    synchronized (pause) {
      pause.notifyAll();
    }
    Consumer<String, V> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      Set<TopicPartition> set = new HashSet<>(partitions);
      Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
      try {
        Map<TopicPartition, OffsetAndMetadata> found = consumer.committed(set, ASSIGN_WAIT);
        set.forEach(tp -> committed.put(tp, found.get(tp)));
      } catch (WakeupException e) {
        unresolved.addAll(set);
        throw e;
      } catch (KafkaException e) {
        log.warn("{}: cannot read the committed offsets of {} yet ({}); trying again after the poll",
            options.name(), set, e.toString());
        unresolved.addAll(set);
        return;
      }
      seekTo(committed);
      processor(() -> processor.assigned(committed));
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // Every transaction ends before the next poll, so no output of these partitions is open here.
      unresolved.removeAll(partitions);
      revokedInPoll.addAll(partitions);
      processor(() -> processor.revoked(partitions));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }

    private void processor(Runnable call) {
      try {
        call.run();
      } catch (RuntimeException e) {
        if (callbackFailure == null) {
          callbackFailure = e;
        }
      }
    }
  }

  private static void closeQuietly(Consumer<?, ?> consumer) {
    if (consumer != null) {
      try {
        consumer.close();
      } catch (RuntimeException e) {
        log.warn("closing the consumer", e);
      }
    }
  }

  private static void closeQuietly(Producer<?, ?> producer, Duration timeout) {
    if (producer != null) {
      try {
        producer.close(timeout);
      } catch (RuntimeException e) {
        log.warn("closing the producer", e);
      }
    }
  }

  /** close() was called while the loop waited. */
  private static final class Stopping extends RuntimeException {
    Stopping() {
      super(null, null, false, false);
    }
  }

  private static final class PermanentFailure extends RuntimeException {
    PermanentFailure(String step, RuntimeException cause) {
      super(step, cause);
    }
  }
}
