package io.capstan.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

  private static final int EIGHT_MIB = 8 * 1024 * 1024;

  @Test
  void carriesEightMebibyteRecordsInTransactionsAndKeepsThemAcrossARestart(@TempDir Path dir) throws Exception {
    String topic = "frames-test";
    try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0).start()) {
      try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
            .configs(Map.of("max.message.bytes", String.valueOf(16 * 1024 * 1024))))).all().get(30, TimeUnit.SECONDS);
      }
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
          "bootstrap.servers", kafka.bootstrapServers(), "transactional.id", "t1",
          "max.request.size", 16 * 1024 * 1024), new StringSerializer(), new ByteArraySerializer())) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "aborted", new byte[10]));
        producer.abortTransaction();
        producer.beginTransaction();
        byte[] frame = new byte[EIGHT_MIB];
        frame[EIGHT_MIB - 1] = 42;
        producer.send(new ProducerRecord<>(topic, "job-1", frame));
        producer.commitTransaction();
        // the bench tells the broker's CPU from its clients' by this group
        assertThat(kafka.liveThreads()).extracting(Thread::getName)
            .anyMatch(n -> n.startsWith("data-plane-kafka-request-handler"))
            .anyMatch(n -> n.startsWith("ExpirationReaper")).noneMatch(n -> n.startsWith("kafka-producer-network-thread"));
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
            .anyMatch(n -> n.startsWith("kafka-producer-network-thread"));
        // the broker's timers may wake together; its clients' (the producer's linger) keep their time
        assertThat(timerSlackOfThreadsNamed("data-plane-kafk")).isNotEmpty()
            .containsOnly(EmbeddedKafka.TIMER_SLACK.toNanos());
        assertThat(timerSlackOfThreadsNamed("kafka-producer-")).isNotEmpty()
            .doesNotContain(EmbeddedKafka.TIMER_SLACK.toNanos());
      }
      assertThat(readCommitted(kafka, topic)).containsExactly("job-1:" + EIGHT_MIB + ":42");
    }

    // The same directory again: formatted once, topics and records survive.
    try (EmbeddedKafka again = new EmbeddedKafka(dir, 0).start();
         Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", again.bootstrapServers()))) {
      Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      assertThat(topics).contains(topic);
      assertThat(readCommitted(again, topic)).containsExactly("job-1:" + EIGHT_MIB + ":42");
    }
  }

  /** Reading another thread's slack takes CAP_SYS_NICE: root, as .ci/run is. */
  private static List<Long> timerSlackOfThreadsNamed(String prefix) throws IOException {
    List<Long> slack = new ArrayList<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        if (Files.readString(task.resolve("comm")).startsWith(prefix)) {
          Path file = Path.of("/proc", task.getFileName().toString(), "timerslack_ns");
          Assumptions.assumeTrue(Files.isReadable(file), "other threads' timer slack is readable (root)");
          slack.add(Long.parseLong(Files.readString(file).trim()));
        }
      }
    }
    return slack;
  }

  private static List<String> readCommitted(EmbeddedKafka kafka, String topic) {
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", kafka.bootstrapServers(), "group.id", "reader-" + System.nanoTime(),
        "auto.offset.reset", "earliest", "isolation.level", "read_committed",
        "max.partition.fetch.bytes", 16 * 1024 * 1024), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (seen.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          seen.add(r.key() + ":" + r.value().length + ":" + r.value()[r.value().length - 1]);
        }
      }
    }
    return seen;
  }
}
