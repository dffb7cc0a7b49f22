package io.capstan.runtime.kafka;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record a recording cannot do without (an event, an end of job, a state change) until the
 * broker has it. The producer already retries for its delivery timeout (2 minutes by default); a
 * longer outage would drop the record, and with an end of job the recording would never end
 * downstream. So a failed send is sent again with backoff, for as long as the producer is open.
 * Only for non-transactional producers: a transactional one replays its whole batch instead.
 */
public final class Resends {

  private static final Logger log = LoggerFactory.getLogger(Resends.class);
  private static final long MAX_WAIT_MS = 30_000;
  private static final ScheduledExecutorService RETRY = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "kafka-resend");
    t.setDaemon(true);
    return t;
  });

  private Resends() {
  }

  /** Sends {@code record}, again and again after failures the broker can recover from. */
  public static <K, V> void send(Producer<K, V> producer, ProducerRecord<K, V> record) {
    attempt(producer, record, 0);
  }

  private static <K, V> void attempt(Producer<K, V> producer, ProducerRecord<K, V> record, int failures) {
    try {
      producer.send(record, (metadata, error) -> {
        if (error == null) {
          if (failures > 0) {
            log.info("{} record of {} written after {} failed attempts", record.topic(), record.key(), failures);
          }
          return;
        }
        if (permanent(error)) {
          log.error("{} record of {} cannot be written: {}", record.topic(), record.key(), error.toString());
          return;
        }
        long waitMs = Math.min(MAX_WAIT_MS, 500L << Math.min(failures, 6));
        log.warn("{} record of {} not written yet ({}); sending it again in {} ms", record.topic(), record.key(),
            error.toString(), waitMs);
        RETRY.schedule(() -> attempt(producer, record, failures + 1), waitMs, TimeUnit.MILLISECONDS);
      });
    } catch (IllegalStateException e) {
      // The producer was closed (the service stops): what is not written now is written by the next owner.
      log.warn("{} record of {} not written: the producer is closed", record.topic(), record.key());
    }
  }

  private static boolean permanent(Exception error) {
    return error instanceof RecordTooLargeException || error instanceof SerializationException
        || error instanceof AuthorizationException || error instanceof InvalidTopicException;
  }
}
