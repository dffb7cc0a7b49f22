package io.capstan.app;

import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.RecordingEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Every event of some recordings, read from {@code capstan.events} from the moment it is created,
 * by a thread of its own that rides out broker restarts as any consumer does.
 */
final class EventLog implements AutoCloseable {

  private final Set<String> jobIds;
  private final List<RecordingEvent> events = new CopyOnWriteArrayList<>();
  private final KafkaConsumer<String, RecordingEvent> consumer;
  private final Thread thread;
  private volatile boolean running = true;

  EventLog(KafkaClients kafka, Set<String> jobIds) {
    this.jobIds = Set.copyOf(jobIds);
    consumer = kafka.consumer(Topics.EVENTS, null, "chaos-events");
    List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name(), Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    thread = new Thread(this::run, "event-log");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      try {
        for (ConsumerRecord<String, RecordingEvent> record : consumer.poll(Duration.ofMillis(300))) {
          if (jobIds.contains(record.key()) && record.value() != null) {
            events.add(record.value());
          }
        }
      } catch (org.apache.kafka.common.errors.WakeupException e) {
        return;
      } catch (RuntimeException e) {
        // A broker away: poll again.
      }
    }
  }

  /** The events of {@code jobId} whose details are a {@code type}. */
  List<RecordingEvent> of(String jobId, Class<?> type) {
    return events.stream().filter(e -> e.getJobId().equals(jobId) && type.isInstance(e.getDetails())).toList();
  }

  List<RecordingEvent> of(String jobId) {
    return events.stream().filter(e -> e.getJobId().equals(jobId)).toList();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5000);
    consumer.close();
  }
}
