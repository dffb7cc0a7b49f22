package io.capstan.app.follow;

import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.RecordingEvent;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one recording's events as they happen, from the moment it was created: it takes its
 * position at the end of {@code capstan.events} first, so a job started afterwards misses nothing.
 */
public final class EventFollower implements AutoCloseable {

  private final KafkaConsumer<String, RecordingEvent> consumer;

  public EventFollower(KafkaClients kafka) {
    consumer = kafka.consumer(Topics.EVENTS, null, "capstan-cli-follow");
    List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name(), Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
  }

  /**
   * Hands each event of {@code jobId} to {@code onEvent} until it returns true (done) or
   * {@code timeout} passes. @return whether it finished before the timeout
   */
  public boolean follow(String jobId, Duration timeout, Predicate<RecordingEvent> onEvent, Runnable tick) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, RecordingEvent> record : consumer.poll(Duration.ofMillis(500))) {
        if (jobId.equals(record.key()) && record.value() != null && onEvent.test(record.value())) {
          return true;
        }
      }
      tick.run();
    }
    return false;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
