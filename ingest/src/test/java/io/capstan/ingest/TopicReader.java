package io.capstan.ingest;

import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads one job's records of a topic from the beginning, as a downstream service would. */
public final class TopicReader<V extends SpecificRecord> implements AutoCloseable {

  private final KafkaConsumer<String, V> consumer;
  private final String key;
  private final List<ConsumerRecord<String, V>> records = new ArrayList<>();

  public TopicReader(KafkaClients kafka, TopicSpec<V> topic, String key) {
    this.consumer = kafka.consumer(topic, null, "test-reader-" + UUID.randomUUID());
    this.key = key;
    List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Polls until {@code done} holds for the job's values so far; fails after {@code timeout}. */
  public List<V> until(Predicate<List<V>> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(values())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " with " + records.size() + " records of " + key
            + "; last: " + (records.isEmpty() ? "none" : records.get(records.size() - 1).value()));
      }
      for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(100))) {
        if (key.equals(record.key())) {
          records.add(record);
        }
      }
    }
    return values();
  }

  /** Reads everything written so far (up to the partitions' current end offsets). */
  public List<V> drain(Duration timeout) {
    java.util.Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
    return until(v -> ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue()), timeout);
  }

  public List<V> values() {
    return records.stream().map(ConsumerRecord::value).toList();
  }

  public List<ConsumerRecord<String, V>> records() {
    return List.copyOf(records);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
