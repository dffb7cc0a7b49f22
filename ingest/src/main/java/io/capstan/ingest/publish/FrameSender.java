package io.capstan.ingest.publish;

import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.MediaRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Semaphore;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes MediaRecords to capstan.frames with the service's one producer. Each caller passes its own
 * semaphore of in-flight records: a frame is ~350 KB at 360p, so a reader may have only a few
 * unacknowledged ones, and a slow broker slows the reader instead of filling the heap.
 */
public final class FrameSender {

  private static final Logger log = LoggerFactory.getLogger(FrameSender.class);

  private final Producer<String, SpecificRecord> producer;
  private final Counter sent;
  private final Counter failed;

  public FrameSender(Producer<String, SpecificRecord> producer, MeterRegistry metrics) {
    this.producer = producer;
    this.sent = Counter.builder("capstan.ingest.frames.records").description("records written to capstan.frames")
        .register(metrics);
    this.failed = Counter.builder("capstan.ingest.frames.failed").description("records Kafka refused")
        .register(metrics);
  }

  /** Sends with a permit of {@code inflight} that the caller has already acquired; it is released on ack. */
  void send(MediaRecord record, Semaphore inflight) {
    try {
      producer.send(new ProducerRecord<>(Topics.FRAMES.name(), record.getJobId(), record), (metadata, error) -> {
        inflight.release();
        if (error == null) {
          sent.increment();
        } else {
          failed.increment();
          log.warn("job {}: a {} record of uid '{}' was not written: {}", record.getJobId(),
              record.getBody().getClass().getSimpleName(), record.getUid(), error.toString());
        }
      });
    } catch (RuntimeException e) {
      inflight.release();
      throw e;
    }
  }
}
