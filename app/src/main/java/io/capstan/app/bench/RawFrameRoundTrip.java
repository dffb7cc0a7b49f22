package io.capstan.app.bench;

import io.capstan.runtime.kafka.KafkaClients;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The part of baseline (b) that FFmpeg alone does not pay: the raw frames of the composite's four
 * uids moved producer → broker → consumer once, as plain bytes (no Avro), with the producer and
 * consumer settings Capstan's services use (acks=all, idempotent, read_committed, ingest's batch
 * size). The consumer copies each value into a direct buffer, as the mixer copies a picture into
 * native memory. Sent as fast as the broker takes them, like a FAST job; at most
 * {@code IN_FLIGHT} unacknowledged.
 */
public final class RawFrameRoundTrip {

  public static final String TOPIC = "capstan.bench.rawframes";
  private static final int IN_FLIGHT = 16;

  private RawFrameRoundTrip() {
  }

  /** Bytes of one I420 frame. */
  public static int frameBytes(int width, int height) {
    return width * height * 3 / 2;
  }

  /** Moves {@code frames} frames of {@code frameBytes} each; returns the wall seconds it took. */
  public static double run(Admin admin, KafkaClients kafka, long frames, int frameBytes) throws Exception {
    ensureTopic(admin);
    TopicPartition partition = new TopicPartition(TOPIC, 0);
    Map<String, Object> consumerConfig = kafka.consumerConfig(null, "capstan-bench-raw-consumer");
    Map<String, Object> producerConfig = kafka.producerConfig("capstan-bench-raw-producer");
    producerConfig.putAll(KafkaClients.FRAMES_PRODUCER); // as ingest's
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig,
        new StringSerializer(), new ByteArraySerializer());
         KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
             new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition);
      byte[] frame = new byte[frameBytes];
      for (int i = 0; i < frame.length; i++) {
        frame[i] = (byte) (i * 31);
      }
      ByteBuffer picture = ByteBuffer.allocateDirect(frameBytes);
      AtomicReference<Exception> failure = new AtomicReference<>();
      long start = System.nanoTime();
      Thread sender = new Thread(() -> {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        try {
          for (long n = 0; n < frames && failure.get() == null; n++) {
            inFlight.acquire();
            producer.send(new ProducerRecord<>(TOPIC, "job", frame), (metadata, error) -> {
              inFlight.release();
              if (error != null) {
                failure.compareAndSet(null, error);
              }
            });
          }
          producer.flush();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "bench-raw-producer");
      sender.start();
      long received = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
      while (received < frames) {
        if (failure.get() != null) {
          throw new IllegalStateException("raw frame producer failed: " + failure.get(), failure.get());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("raw frames: " + received + " of " + frames + " came back in 30 minutes");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          picture.clear();
          picture.put(record.value());
          received++;
        }
      }
      sender.join();
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private static void ensureTopic(Admin admin) throws Exception {
    try {
      // One partition, the broker's defaults: no size-based retention that could delete what is being counted.
      admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(1), Optional.empty()))).all()
          .get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }
}
