package io.capstan.ingest.publish;

import io.capstan.runtime.kafka.Resends;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.VideoFrame;
import io.capstan.schemas.Watermark;
import io.capstan.schemas.EncodedPacket;
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
 * Writes MediaRecords to capstan.frames (and an individual job's passed-through packets to
 * capstan.packets) with the service's one producer. Each caller passes its own
 * semaphore of in-flight records: a frame is ~350 KB at 360p, so a reader may have only a few
 * unacknowledged ones, and a slow broker slows the reader instead of filling the heap.
 */
public final class FrameSender {

  private static final Logger log = LoggerFactory.getLogger(FrameSender.class);

  private final Producer<String, SpecificRecord> producer;
  private final Counter sent;
  private final Counter failed;
  private final Counter packets;

  public FrameSender(Producer<String, SpecificRecord> producer, MeterRegistry metrics) {
    this.producer = producer;
    this.sent = Counter.builder("capstan.ingest.frames.records").description("records written to capstan.frames")
        .register(metrics);
    this.failed = Counter.builder("capstan.ingest.frames.failed").description("records Kafka refused")
        .register(metrics);
    this.packets = Counter.builder("capstan.ingest.packets.records")
        .description("passed-through packets written to capstan.packets").register(metrics);
  }

  /**
   * Sends with a permit of {@code inflight} that the caller has already acquired; it is released on ack.
   * A picture or sound lost to an outage longer than the producer's delivery timeout is a gap; a
   * control record (end of job, stream state, layout or spec change, discontinuity) is sent again
   * until it is written: without it the recording would not end, or end wrong, downstream.
   */
  void send(MediaRecord record, Semaphore inflight) {
    ProducerRecord<String, SpecificRecord> out = new ProducerRecord<>(Topics.FRAMES.name(), record.getJobId(), record);
    try {
      producer.send(out, (metadata, error) -> {
        inflight.release();
        if (error == null) {
          sent.increment();
        } else {
          failed.increment();
          boolean control = !(record.getBody() instanceof VideoFrame || record.getBody() instanceof AudioFrame
              || record.getBody() instanceof Watermark);
          log.warn("job {}: a {} record of uid '{}' was not written{}: {}", record.getJobId(),
              record.getBody().getClass().getSimpleName(), record.getUid(), control ? " (sent again)" : "",
              error.toString());
          if (control) {
            Resends.send(producer, out);
          }
        }
      });
    } catch (RuntimeException e) {
      inflight.release();
      throw e;
    }
  }

  /**
   * Sends a passed-through packet to capstan.packets with a permit of {@code inflight} already
   * acquired; {@code acked} runs when the broker has answered (written or not).
   */
  void send(EncodedPacket record, Semaphore inflight, Runnable acked) {
    try {
      producer.send(new ProducerRecord<>(Topics.PACKETS.name(), record.getJobId(), record), (metadata, error) -> {
        inflight.release();
        acked.run();
        if (error == null) {
          packets.increment();
        } else {
          failed.increment();
          log.warn("job {}: a packet of uid '{}' was not written: {}", record.getJobId(), record.getUid(),
              error.toString());
        }
      });
    } catch (RuntimeException e) {
      inflight.release();
      acked.run();
      throw e;
    }
  }
}
