package io.capstan.runtime.kafka.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.schemas.Watermark;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stage's decisions, with Kafka's mock clients: which transactional call follows a failure,
 * when the producer is replaced, when the processor resets and where the consumer goes back to.
 */
class TransactionalStageTest {

  private static final String IN = "in";
  private static final TopicPartition P0 = new TopicPartition(IN, 0);
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Signalled when a record is added: what an empty poll waits for, as Kafka's does. */
  private final Object arrivals = new Object();

  private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest") {
    /** Kafka's waits for records when there are none; the mock would spin the loop. */
    @Override
    public ConsumerRecords<String, String> poll(Duration timeout) {
      ConsumerRecords<String, String> records = super.poll(timeout);
      if (records.isEmpty()) {
        synchronized (arrivals) {
          try {
            arrivals.wait(timeout.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      return records;
    }

    @Override
    public synchronized void addRecord(ConsumerRecord<String, String> record) {
      super.addRecord(record);
      synchronized (arrivals) {
        arrivals.notifyAll();
      }
    }

    /** A task for the next poll ends the wait of this one, as a record would. */
    @Override
    public void schedulePollTask(Runnable task) {
      super.schedulePollTask(task);
      synchronized (arrivals) {
        arrivals.notifyAll();
      }
    }

    /** The rebalance callback reads the committed offsets with a deadline; the loop without. */
    @Override
    public synchronized Map<TopicPartition, OffsetAndMetadata> committed(java.util.Set<TopicPartition> partitions,
                                                                         Duration timeout) {
      RuntimeException failure = committedFailures.poll();
      if (failure != null) {
        throw failure;
      }
      return super.committed(partitions, timeout);
    }
  };
  private final ConcurrentLinkedDeque<RuntimeException> committedFailures = new ConcurrentLinkedDeque<>();
  /** Every transactional call of every producer, in order: "1:commit:timeout", "2:init:ok", ... */
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<TxnProducer> producers = new CopyOnWriteArrayList<>();
  private final Echo processor = new Echo();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  /** Failures the next producers' commits of a transaction with output throw, in order. */
  private final ConcurrentLinkedDeque<RuntimeException> commitFailures = new ConcurrentLinkedDeque<>();
  private final ConcurrentLinkedDeque<RuntimeException> abortFailures = new ConcurrentLinkedDeque<>();
  private volatile boolean brokerAway;
  /** How long the stage gathers polls into one transaction. */
  private Duration gather = Duration.ofMillis(20);
  private TransactionalStage<String> stage;

  @BeforeEach
  void assignOnePartition() {
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0)));
  }

  @AfterEach
  void close() {
    if (stage != null) {
      stage.close();
    }
  }

  @Test
  void aTimedOutCommitIsRetriedAsACommitNeverAnAbort() {
    commitFailures.add(new TimeoutException("Timeout expired after 3000ms while awaiting EndTxn(true)"));
    commitFailures.add(new TimeoutException("Timeout expired after 3000ms while awaiting EndTxn(true)"));
    start();
    add(0, "a");

    awaitCommitted(1);
    assertThat(calls).noneMatch(c -> c.contains("abort"));
    List<String> seen = List.copyOf(calls); // the loop goes on adding calls
    int first = seen.indexOf("1:commit:timeout");
    assertThat(seen.subList(first, first + 3)).containsExactly("1:commit:timeout", "1:commit:timeout", "1:commit:ok");
    assertThat(producers).hasSize(1);
    assertThat(processor.resets).isEmpty();
    assertThat(outputs(producers.get(0))).containsExactly("out:a");
    assertThat(metrics.get("capstan_stage_retries").tag("call", "commitTransaction").counter().count()).isEqualTo(2);
    await().atMost(WAIT).until(stage::ready);
  }

  @Test
  void anIdleProcessorsEmptyPollsOpenNoTransactionYetTheStageIsReadyAndRecordsStillGetOne() {
    processor.idle = true;
    start();
    await().atMost(WAIT).until(stage::ready);
    assertThat(calls).containsExactly("1:init:ok");

    add(0, "a");
    awaitCommitted(1);
    assertThat(outputs(producers.get(0))).containsExactly("out:a");
    assertThat(calls).containsExactly("1:init:ok", "1:commit:ok");
  }

  @Test
  void aFencedProducerIsReplacedAndTheProcessorResetAndTheLoopGoesOn() {
    start();
    add(0, "a");
    awaitCommitted(1);
    commitFailures.add(new ProducerFencedException("There is a newer producer with the same transactionalId"));
    add(1, "b");

    await().atMost(WAIT).until(() -> processor.resets.size() == 1);
    assertThat(producers).hasSize(2);
    assertThat(producers.get(0).closed()).isTrue();
    assertThat(producers.get(1).transactionInitialized()).isTrue();
    assertThat(calls).noneMatch(c -> c.startsWith("1:abort"));
    assertThat(processor.resets.get(0)).containsExactly(Map.entry(P0, new OffsetAndMetadata(1)));
    assertThat(consumer.position(P0)).isEqualTo(1);
    assertThat(stage.healthy()).isTrue();

    // The partition's records come again (the log still has them) and commit through the new producer.
    add(1, "b", "c");
    awaitCommitted(3);
    assertThat(outputs(producers.get(0))).containsExactly("out:a");
    assertThat(outputs(producers.get(1))).containsExactly("out:b", "out:c");
    assertThat(metrics.get("capstan_stage_producer_restarts").counter().count()).isEqualTo(1);
  }

  @Test
  void anAbortableErrorAbortsResetsAndSeeksToTheCommittedOffset() {
    start();
    add(0, "a");
    awaitCommitted(1);
    // A send of the transaction expired while the broker was away: the commit fails, the abort may time out too.
    commitFailures.add(new KafkaException("Cannot execute transactional method because we are in an error state",
        new TimeoutException("Expiring 1 record(s) for out-0: 5000 ms has passed since batch creation")));
    abortFailures.add(new TimeoutException("Timeout expired after 3000ms while awaiting EndTxn(false)"));
    add(1, "b", "c");

    await().atMost(WAIT).until(() -> processor.resets.size() == 1);
    List<String> seen = List.copyOf(calls); // the loop goes on adding calls
    int failed = seen.indexOf("1:commit:failed");
    assertThat(seen.subList(failed, failed + 3)).containsExactly("1:commit:failed", "1:abort:timeout", "1:abort:ok");
    assertThat(producers).hasSize(1);
    assertThat(processor.resets.get(0)).containsExactly(Map.entry(P0, new OffsetAndMetadata(1)));
    assertThat(consumer.position(P0)).isEqualTo(1);

    add(1, "b", "c");
    awaitCommitted(3);
    assertThat(outputs(producers.get(0))).containsExactly("out:a", "out:b", "out:c");
    assertThat(metrics.get("capstan_stage_aborts").counter().count()).isEqualTo(1);
    assertThat(stage.healthy()).isTrue();
  }

  @Test
  void whileTheBrokerIsAwayItRetriesAndSaysWhatItWaitsFor() {
    brokerAway = true;
    start();

    await().atMost(WAIT).until(() -> calls.stream().filter(c -> c.equals("1:init:timeout")).count() >= 2);
    assertThat(stage.ready()).isFalse();
    assertThat(stage.healthy()).isTrue();
    assertThat(stage.waitingFor()).containsExactly("test (Kafka: initTransactions)");

    brokerAway = false;
    await().atMost(WAIT).until(stage::ready);
    assertThat(stage.waitingFor()).isEmpty();
    add(0, "a");
    awaitCommitted(1);
  }

  @Test
  void onlyAPermanentFailureEndsIt() {
    start();
    add(0, "a");
    awaitCommitted(1);
    commitFailures.add(new TransactionalIdAuthorizationException("Transactional Id authorization failed."));
    add(1, "b");

    await().atMost(WAIT).until(() -> !stage.healthy());
    assertThat(stage.ready()).isFalse();
    assertThat(stage.waitingFor()).containsExactly("test");
    await().atMost(WAIT).until(() -> processor.stopped);
    assertThat(processor.resets).isEmpty();
  }

  @Test
  void recordsThatComeWithinTheGatherTimeShareOneTransaction() {
    gather = Duration.ofSeconds(3);
    processor.idle = true; // no transaction without records
    start();
    add(0, "a");
    add(1, "b"); // the next poll's: within the 3 s that "a" opened

    awaitCommitted(2);
    assertThat(outputs(producers.get(0))).containsExactly("out:a", "out:b");
    assertThat(calls).containsExactly("1:init:ok", "1:commit:ok");
  }

  @Test
  void aRebalanceWhileGatheringLeavesWhatWasGatheredOfTheTakenPartitionToBeReadAgain() {
    TopicPartition p1 = new TopicPartition(IN, 1);
    consumer.updateBeginningOffsets(Map.of(p1, 0L));
    gather = Duration.ofSeconds(3);
    processor.idle = true;
    start();
    add(0, "a");
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(p1))); // P0 taken while "a" waits for company
    await().atMost(WAIT).until(() -> processor.revoked.size() == 1);
    assertThat(processor.revoked.get(0)).containsExactly(P0);

    // P0 comes back within the same gathering: "a" is read again from the committed offset (none: the
    // beginning), and processed once
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0)));
    await().atMost(WAIT).until(() -> processor.assigned.size() == 3);
    add(0, "a");
    awaitCommitted(1);
    assertThat(outputs(producers.get(0))).containsExactly("out:a");
    assertThat(calls).containsExactly("1:init:ok", "1:commit:ok");
  }

  @Test
  void partitionsThatComeAndGoReachTheProcessor() {
    TopicPartition p1 = new TopicPartition(IN, 1);
    consumer.updateBeginningOffsets(Map.of(p1, 0L));
    start();
    await().atMost(WAIT).until(() -> processor.assigned.size() == 1);
    assertThat(processor.assigned.get(0)).containsOnlyKeys(P0).containsEntry(P0, null);

    consumer.schedulePollTask(() -> consumer.rebalance(List.of(p1)));
    await().atMost(WAIT).until(() -> processor.revoked.size() == 1);
    assertThat(processor.revoked.get(0)).containsExactly(P0);
    await().atMost(WAIT).until(() -> processor.assigned.size() == 2);
    assertThat(processor.assigned.get(1)).containsOnlyKeys(p1);
  }

  @Test
  void partitionsWhoseCommittedOffsetsTheCallbackCouldNotReadAreResolvedByTheLoop() {
    committedFailures.add(new TimeoutException("Timeout of 10000ms expired before the last committed offset for"
        + " partitions [in-0] could be determined"));
    start();

    await().atMost(WAIT).until(() -> processor.assigned.size() == 1);
    assertThat(processor.assigned.get(0)).containsOnlyKeys(P0).containsEntry(P0, null);
    assertThat(committedFailures).isEmpty();
    add(0, "a");
    awaitCommitted(1);
    assertThat(outputs(producers.get(0))).containsExactly("out:a");
    assertThat(processor.assigned).hasSize(1);
  }

  private void start() {
    StageOptions options = new StageOptions("test", Duration.ofMillis(10), Duration.ofSeconds(10),
        Duration.ofMinutes(1), Optional.empty(), Duration.ofMillis(1), Duration.ofMillis(20), gather);
    stage = new TransactionalStage<>(options, IN, new StageClients<>() {
      @Override
      public MockConsumer<String, String> consumer() {
        return consumer;
      }

      @Override
      public Producer<String, SpecificRecord> producer() {
        TxnProducer producer = new TxnProducer(producers.size() + 1);
        producers.add(producer);
        return producer;
      }
    }, processor, metrics);
    stage.start();
  }

  /** Records from {@code offset} on, for one poll: the log as the consumer would read it. */
  private void add(long offset, String... values) {
    await().atMost(WAIT).until(() -> consumer.assignment().contains(P0));
    consumer.schedulePollTask(() -> {
      for (int i = 0; i < values.length; i++) {
        consumer.addRecord(new ConsumerRecord<>(IN, 0, offset + i, "job", values[i]));
      }
    });
  }

  private void awaitCommitted(long offset) {
    await().atMost(WAIT).until(() -> {
      OffsetAndMetadata committed = consumer.committed(java.util.Set.of(P0)).get(P0);
      return committed != null && committed.offset() == offset;
    });
  }

  private static List<String> outputs(TxnProducer producer) {
    return producer.history().stream().map(r -> ((Watermark) r.value()).getNote()).toList();
  }

  /** Echoes every record to "out" and records what the stage told it. */
  private static final class Echo implements StageProcessor<String> {
    final List<Map<TopicPartition, OffsetAndMetadata>> assigned = new CopyOnWriteArrayList<>();
    final List<Map<TopicPartition, OffsetAndMetadata>> resets = new CopyOnWriteArrayList<>();
    final List<Collection<TopicPartition>> revoked = new CopyOnWriteArrayList<>();
    volatile boolean stopped;
    volatile boolean idle;

    @Override
    public boolean idle() {
      return idle;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> process(ConsumerRecords<String, String> records,
                                                          Producer<String, SpecificRecord> producer) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (ConsumerRecord<String, String> record : records) {
        producer.send(new ProducerRecord<>("out", record.key(), Watermark.newBuilder().setNote("out:" + record.value())
            .build()));
        offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
      }
      return offsets;
    }

    @Override
    public void assigned(Map<TopicPartition, OffsetAndMetadata> committed) {
      assigned.add(Collections.unmodifiableMap(new HashMap<>(committed)));
    }

    @Override
    public void reset(Map<TopicPartition, OffsetAndMetadata> committed) {
      resets.add(Collections.unmodifiableMap(new HashMap<>(committed)));
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
      revoked.add(new ArrayList<>(partitions));
    }

    @Override
    public void stopped() {
      stopped = true;
    }
  }

  /**
   * Kafka's MockProducer that logs its transactional calls, throws the failures queued for it, and
   * writes the offsets of a committed transaction where the consumer reads its committed offsets.
   */
  private final class TxnProducer extends MockProducer<String, SpecificRecord> {
    private final int number;

    TxnProducer(int number) {
      super(true, null, new StringSerializer(), (topic, value) -> new byte[0]);
      this.number = number;
    }

    @Override
    public void initTransactions() {
      if (brokerAway) {
        calls.add(number + ":init:timeout");
        throw new TimeoutException("Timeout expired after 3000ms while awaiting InitProducerId");
      }
      super.initTransactions();
      calls.add(number + ":init:ok");
    }

    @Override
    public void commitTransaction() {
      RuntimeException failure = uncommittedRecords().isEmpty() ? null : commitFailures.poll();
      if (failure != null) {
        calls.add(number + ":commit:" + (failure instanceof TimeoutException ? "timeout" : "failed"));
        throw failure;
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = uncommittedOffsets().getOrDefault("dummy.group.id", Map.of());
      super.commitTransaction();
      if (!offsets.isEmpty()) {
        consumer.commitSync(offsets);
      }
      calls.add(number + ":commit:ok");
    }

    @Override
    public void abortTransaction() {
      RuntimeException failure = abortFailures.poll();
      if (failure != null) {
        calls.add(number + ":abort:timeout");
        throw failure;
      }
      super.abortTransaction();
      calls.add(number + ":abort:ok");
    }
  }
}
