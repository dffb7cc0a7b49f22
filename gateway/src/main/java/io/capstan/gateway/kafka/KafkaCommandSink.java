package io.capstan.gateway.kafka;

import io.capstan.gateway.recording.CommandSink;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.RecordingCommand;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes commands to {@code capstan.commands} (key = sid) with an idempotent producer and waits
 * for the broker's acknowledgement, so a 200 means the command is durably queued.
 */
public final class KafkaCommandSink implements CommandSink {

  private final Producer<String, SpecificRecord> producer;
  private final Duration timeout;

  public KafkaCommandSink(Producer<String, SpecificRecord> producer, Duration timeout) {
    this.producer = producer;
    this.timeout = timeout;
  }

  @Override
  public void send(RecordingCommand command) {
    try {
      producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), command.getJobId(), command))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandNotSentException("interrupted while sending the command", e);
    } catch (ExecutionException e) {
      throw new CommandNotSentException("Kafka refused the command: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new CommandNotSentException("Kafka did not acknowledge the command within " + timeout.toSeconds() + " s", e);
    }
  }
}
