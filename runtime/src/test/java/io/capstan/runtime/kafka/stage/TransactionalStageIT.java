package io.capstan.runtime.kafka.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.broker.EmbeddedKafka;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.TopicSpec;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.Watermark;
import io.capstan.schemas.serde.AvroTrust;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stage on a real broker that goes away in the middle of a transaction for longer than the
 * clients' timeouts and the transaction timeout, and comes back, twice: once while the stage waits
 * for Kafka (it retries and is not ready meanwhile), once while the processor holds the
 * transaction until the restarted coordinator has aborted it (the producer is fenced and replaced).
 * The stage keeps running, is ready again, and every input's output is in the read_committed
 * output exactly once.
 */
class TransactionalStageIT {

  private static final Logger log = LoggerFactory.getLogger(TransactionalStageIT.class);
  private static final TopicSpec<Watermark> IN = new TopicSpec<>("stage-it.in", 3, Map.of(), Watermark.class);
  private static final String OUT = "stage-it.out";
  private static final Duration OUTAGE = Duration.ofSeconds(15);

  @BeforeAll
  static void trustContracts() {
    AvroTrust.install();
  }

  @Test
  void ridesOutABrokerOutageInTheMiddleOfATransaction(@TempDir Path dir) throws Exception {
    EmbeddedKafka kafka = new EmbeddedKafka(dir, freePort()).start();
    try {
      try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(IN.name(), 3, (short) 1), new NewTopic(OUT, 3, (short) 1)))
            .all().get(30, TimeUnit.SECONDS);
      }
      Config config = Config.of(Map.ofEntries(
          Map.entry("kafka.bootstrap.servers", kafka.bootstrapServers()),
          // Short client timeouts, so that the outage outlasts every one of them.
          Map.entry("kafka.max.block.ms", "3000"),
          Map.entry("kafka.request.timeout.ms", "2000"),
          Map.entry("kafka.delivery.timeout.ms", "5000"),
          Map.entry("kafka.default.api.timeout.ms", "5000"),
          Map.entry("kafka.reconnect.backoff.max.ms", "500"),
          Map.entry("kafka.retry.backoff.max.ms", "500"),
          Map.entry("stageit.transaction.timeout", "10s"),
          Map.entry("stageit.group.session.timeout", "6s")));
      ServiceContext context = ServiceContext.of(config);
      StageOptions read = StageSettings.of("stageit").read(config, Duration.ofMillis(100));
      StageOptions options = read.withRetries(Duration.ofMillis(100), Duration.ofSeconds(1));
      Holding processor = new Holding();
      Hold waiting = processor.hold("hold");
      Hold fenced = processor.hold("fence");

      try (TransactionalStage<Watermark> stage = new TransactionalStage<>(options, IN.name(),
               StageClients.kafka(context, IN, "stage-it", "stageit", "out", options), processor, context.metrics());
           KafkaConsumer<String, Watermark> output = outputReader(kafka)) {
        stage.start();
        await().atMost(Duration.ofSeconds(30)).until(stage::ready);

        List<String> inputs = new ArrayList<>(names("a", 10));
        produce(context, names("a", 10));
        Map<String, Integer> seen = new HashMap<>();
        awaitOutputs(output, seen, inputs);

        // 1. A transaction sends its output and the broker stops; the rest of the transaction's
        // output, its offsets and its commit meet the outage: the stage retries, not ready.
        inputs.add("hold");
        produce(context, List.of("hold"));
        assertThat(waiting.holding.await(30, TimeUnit.SECONDS)).isTrue();
        long stopped = stop(kafka);
        waiting.release.countDown();
        await().atMost(Duration.ofSeconds(15)).until(() -> !stage.ready());
        assertThat(stage.waitingFor()).singleElement().asString().startsWith("stageit (Kafka: ");
        log.info("stage waiting for {}", stage.waitingFor());
        restartAfterOutage(kafka, stopped);
        assertThat(stage.healthy()).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(stage::ready);
        inputs.addAll(names("c", 10));
        produce(context, names("c", 10));
        awaitOutputs(output, seen, inputs);
        double thrownAway = metric(context, "capstan_stage_aborts") + metric(context, "capstan_stage_producer_restarts");
        assertThat(thrownAway).as("the transaction open across the outage was thrown away").isPositive();

        // 2. The same, but the transaction is held until the restarted coordinator has aborted it for
        // outliving its timeout (bumping the producer's epoch): its producer is fenced and replaced.
        double restartsBefore = metric(context, "capstan_stage_producer_restarts");
        inputs.add("fence");
        produce(context, List.of("fence"));
        assertThat(fenced.holding.await(30, TimeUnit.SECONDS)).isTrue();
        stopped = stop(kafka);
        restartAfterOutage(kafka, stopped);
        awaitAbortedByCoordinator(kafka, "capstan-stageit-" + context.instanceId());
        fenced.release.countDown();
        await().atMost(Duration.ofSeconds(60))
            .until(() -> metric(context, "capstan_stage_producer_restarts") > restartsBefore && stage.ready());
        inputs.addAll(names("e", 10));
        produce(context, names("e", 10));

        awaitOutputs(output, seen, inputs);
        assertThat(seen).as("every input's output once, nothing of the aborted transactions")
            .isEqualTo(inputs.stream().collect(Collectors.toMap(i -> "out:" + i, i -> 1)));
        assertThat(stage.healthy()).isTrue();
        assertThat(processor.resets).isGreaterThanOrEqualTo(2);
        log.info("aborts {}, producer restarts {}, retries {}", metric(context, "capstan_stage_aborts"),
            metric(context, "capstan_stage_producer_restarts"),
            context.metrics().get("capstan_stage_retries").counters().stream().mapToDouble(c -> c.count()).sum());
      }
    } finally {
      kafka.close();
    }
  }

  private static long stop(EmbeddedKafka kafka) {
    long stopped = System.nanoTime();
    kafka.close();
    log.info("broker stopped in the middle of a transaction");
    return stopped;
  }

  private static void restartAfterOutage(EmbeddedKafka kafka, long stopped) throws InterruptedException {
    Thread.sleep(Math.max(0, OUTAGE.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped)));
    kafka.start();
    log.info("broker back");
  }

  private static void awaitAbortedByCoordinator(EmbeddedKafka kafka, String transactionalId) {
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
        TransactionState state = admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
            .get(5, TimeUnit.SECONDS).state();
        return state == TransactionState.PREPARE_ABORT || state == TransactionState.COMPLETE_ABORT;
      });
    }
    log.info("the coordinator aborted the held transaction");
  }

  private static double metric(ServiceContext context, String name) {
    return context.metrics().get(name).counter().count();
  }

  /** Reads the committed output until every expected output is in; counts each one seen. */
  private static void awaitOutputs(KafkaConsumer<String, Watermark> output, Map<String, Integer> seen,
                                   List<String> inputs) {
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (ConsumerRecord<String, Watermark> r : output.poll(Duration.ofMillis(200))) {
        seen.merge(r.value().getNote(), 1, Integer::sum);
      }
      return inputs.stream().allMatch(i -> seen.containsKey("out:" + i));
    });
  }

  private static void produce(ServiceContext context, List<String> values) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = context.kafka().producer("stage-it-input")) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(IN.name(), value, Watermark.newBuilder().setNote(value).build()));
      }
      producer.flush();
    }
  }

  private static KafkaConsumer<String, Watermark> outputReader(EmbeddedKafka kafka) {
    Map<String, Object> config = Map.of("bootstrap.servers", kafka.bootstrapServers(),
        "isolation.level", "read_committed", "auto.offset.reset", "earliest");
    KafkaConsumer<String, Watermark> consumer = new KafkaConsumer<>(config,
        new org.apache.kafka.common.serialization.StringDeserializer(),
        new TopicSpec<>(OUT, 3, Map.of(), Watermark.class).serde(config).deserializer());
    consumer.assign(IntStream.range(0, 3).mapToObj(p -> new TopicPartition(OUT, p)).toList());
    return consumer;
  }

  private static List<String> names(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** One held transaction: {@code holding} once its output is flushed, then it waits for {@code release}. */
  private static final class Hold {
    final CountDownLatch holding = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean held = new AtomicBoolean();
  }

  /**
   * Echoes every input to the output topic. The first time it meets a held value it flushes that
   * output, waits until released, then sends one more record in the same transaction.
   */
  private static final class Holding implements StageProcessor<Watermark> {
    private final Map<String, Hold> holds = new HashMap<>();
    volatile int resets;

    Hold hold(String value) {
      return holds.computeIfAbsent(value, v -> new Hold());
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> process(ConsumerRecords<String, Watermark> records,
                                                          Producer<String, SpecificRecord> producer) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (ConsumerRecord<String, Watermark> record : records) {
        String value = record.value().getNote();
        producer.send(new ProducerRecord<>(OUT, value, Watermark.newBuilder().setNote("out:" + value).build()));
        offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        Hold hold = holds.get(value);
        if (hold != null && hold.held.compareAndSet(false, true)) {
          producer.flush();
          hold.holding.countDown();
          try {
            hold.release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          producer.send(new ProducerRecord<>(OUT, value, Watermark.newBuilder().setNote("after:" + value).build()));
        }
      }
      return offsets;
    }

    @Override
    public void assigned(Map<TopicPartition, OffsetAndMetadata> committed) {
    }

    @Override
    public void reset(Map<TopicPartition, OffsetAndMetadata> committed) {
      resets++;
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
    }
  }
}
