package io.capstan.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.broker.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the bench drops between phases is gone from the broker's disk: the segments behind the
 * topic's new start are deleted and only each partition's active segment stays.
 */
class EarlierPhasesIT {

  private static final String TOPIC = "bench.earlier";

  @Test
  void droppedRecordsLeaveOnlyTheActiveSegments(@TempDir Path dir) throws Exception {
    // the broker's retention task and deletion delay, a minute each by default, shortened to keep the test short
    try (EmbeddedKafka broker = new EmbeddedKafka(dir.resolve("kafka"), 0, Map.of(
        "log.initial.task.delay.ms", "0", "log.retention.check.interval.ms", "500",
        "log.segment.delete.delay.ms", "500")).start();
         Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(2), Optional.empty())
          .configs(Map.of("segment.bytes", String.valueOf(1024 * 1024))))).all().get(30, TimeUnit.SECONDS);
      byte[] frame = new byte[100_000];
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
          broker.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < 100; i++) {
          producer.send(new ProducerRecord<>(TOPIC, i % 2, null, frame));
        }
        producer.flush();
      }
      Path logDir = broker.logDir();
      long written = EarlierPhases.segmentBytes(logDir, TOPIC);
      assertThat(written).as("10 MB in 1 MiB segments").isGreaterThan(10_000_000L);

      EarlierPhases.dropRecords(admin, TOPIC);

      assertThat(EarlierPhases.awaitDeleted(logDir, TOPIC, Duration.ofSeconds(30))).isTrue();
      assertThat(EarlierPhases.segmentBytes(logDir, TOPIC)).as("each partition's active segment at most")
          .isLessThanOrEqualTo(2L * 1024 * 1024);
      for (int p = 0; p < 2; p++) {
        TopicPartition partition = new TopicPartition(TOPIC, p);
        long start = admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).all().get().get(partition).offset();
        assertThat(start).as("partition %d starts at its end", p).isEqualTo(50);
      }
    }
  }
}
