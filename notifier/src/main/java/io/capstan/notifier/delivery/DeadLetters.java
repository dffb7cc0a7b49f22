package io.capstan.notifier.delivery;

import io.capstan.runtime.config.Secrets;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.DeadLetter;
import io.capstan.schemas.Notice;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes given-up deliveries to capstan.notices.dlq, keyed by jobId, the URL redacted. */
public final class DeadLetters {

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private final Producer<String, SpecificRecord> producer;
  private final Clock clock;

  public DeadLetters(Producer<String, SpecificRecord> producer, Clock clock) {
    this.producer = producer;
    this.clock = clock;
  }

  /** Waits for the broker's acknowledgement, so the notice's offset is committed only after its dead letter. */
  void send(Notice notice, Subscriber subscriber, String reason, int attempts) throws InterruptedException {
    DeadLetter letter = DeadLetter.newBuilder()
        .setNotice(notice)
        .setUrl(Secrets.redactUrl(subscriber.url()))
        .setReason(reason)
        .setAttempts(attempts)
        .setUtcMs(clock.millis())
        .build();
    log.warn("dead-lettered notice {} (job {}, sequence {}) for {} after {} attempts: {}", notice.getNoticeId(),
        notice.getEvent().getJobId(), notice.getSequence(), subscriber, attempts, reason);
    try {
      producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS.name(), notice.getEvent().getJobId(), letter)).get();
    } catch (ExecutionException e) {
      // The producer retried for delivery.timeout.ms already; the log line above keeps the facts.
      log.error("could not write the dead letter of notice {} to {}", notice.getNoticeId(),
          Topics.DEAD_LETTERS.name(), e.getCause());
    }
  }
}
