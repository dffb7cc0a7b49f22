package io.capstan.app.bench;

import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StopCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Submits recordings to the running services and waits until every one has exited (session_exit,
 * sent by the uploader once the last file is in storage): the wall time of a phase ends there.
 * It takes its position at the end of capstan.events before submitting, so it misses nothing.
 */
public final class JobRunner {

  /** How a phase's jobs ended. */
  public record Outcome(double wallSeconds, Map<String, Integer> exitStatus, List<String> errors) {

    public boolean clean() {
      return errors.isEmpty() && exitStatus.values().stream().allMatch(s -> s == 0);
    }
  }

  private final KafkaClients kafka;

  public JobRunner(KafkaClients kafka) {
    this.kafka = kafka;
  }

  /**
   * Starts every job at once; with {@code stopAfter} (live runs) sends Stop to each that long after
   * the start; returns when all have exited. @throws IllegalStateException after {@code timeout}
   */
  public Outcome run(List<JobSpec> jobs, Duration stopAfter, Duration timeout) throws Exception {
    Map<String, Integer> exits = new HashMap<>();
    List<String> errors = new ArrayList<>();
    try (KafkaConsumer<String, RecordingEvent> events = kafka.consumer(Topics.EVENTS, null, "capstan-bench-events");
         KafkaProducer<String, SpecificRecord> producer = kafka.producer("capstan-bench-commands")) {
      List<TopicPartition> partitions = events.partitionsFor(Topics.EVENTS.name(), Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      events.assign(partitions);
      events.seekToEnd(partitions);
      partitions.forEach(events::position);

      long start = System.nanoTime();
      for (JobSpec spec : jobs) {
        send(producer, spec.getJobId(), StartCommand.newBuilder().setSpec(spec).build());
      }
      boolean stopped = stopAfter == null;
      long deadline = start + timeout.toNanos();
      while (exits.size() < jobs.size()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(exits.size() + " of " + jobs.size() + " recordings exited within "
              + timeout.toSeconds() + " s; errors: " + errors);
        }
        if (!stopped && System.nanoTime() - start >= stopAfter.toNanos()) {
          for (JobSpec spec : jobs) {
            send(producer, spec.getJobId(), StopCommand.newBuilder().build());
          }
          stopped = true;
        }
        for (ConsumerRecord<String, RecordingEvent> record : events.poll(Duration.ofMillis(50))) {
          RecordingEvent event = record.value();
          if (event == null || jobs.stream().noneMatch(j -> j.getJobId().equals(record.key()))) {
            continue;
          }
          if (event.getDetails() instanceof RecordingError error) {
            errors.add(error.getModule() + " " + error.getErrorCode() + ": " + error.getErrorMsg());
          } else if (event.getDetails() instanceof SessionExit exit) {
            exits.put(record.key(), exit.getExitStatus());
          }
        }
      }
      return new Outcome((System.nanoTime() - start) / 1e9, exits, errors);
    }
  }

  private static void send(KafkaProducer<String, SpecificRecord> producer, String sid, Object action) throws Exception {
    RecordingCommand command = RecordingCommand.newBuilder().setJobId(sid).setCommandId(UUID.randomUUID().toString())
        .setIssuedUtcMs(System.currentTimeMillis()).setAction(action).build();
    producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), sid, command)).get(30, TimeUnit.SECONDS);
  }
}
