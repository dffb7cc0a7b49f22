package io.capstan.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.ingest.timeline.JobTimeline;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.VideoFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * What one uid may have waiting for the broker. Kafka's MockProducer holds every send until the test
 * acknowledges it: the broker (with the producer's linger) as a reader sees it, without the clock.
 */
class UidFramesTest {

  private static final int PICTURES_IN_FLIGHT = 4;

  private final MockProducer<String, SpecificRecord> producer =
      new MockProducer<>(false, null, new StringSerializer(), noBytes());
  private final UidFrames uid = new JobFrames(new FrameSender(producer, new SimpleMeterRegistry()), "job-1",
      new JobTimeline(System.currentTimeMillis(), false)).open("301", 1, PICTURES_IN_FLIGHT, (u, k, on, ms) -> { });

  @Test
  void soundIsNotHeldBehindUnacknowledgedPictures() throws Exception {
    uid.join(0);
    uid.setReceiving(MediaKind.AUDIO, true, 0, null);
    uid.setReceiving(MediaKind.VIDEO, true, 0, null);
    for (int i = 0; i < PICTURES_IN_FLIGHT; i++) {
      uid.video(i * 33_333L, picture());
    }
    // A WebRTC source's next 200 ms of sound: 20 blocks of 10 ms, while every picture waits for its ack.
    CompletableFuture<Void> sound = CompletableFuture.runAsync(() -> {
      try {
        for (int i = 0; i < 20; i++) {
          uid.audio(i * 10_000L, soundBlock());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(sound::isDone);
    assertThat(bodies(AudioFrame.class)).as("sound blocks handed to the producer").isEqualTo(20);
    assertThat(bodies(VideoFrame.class)).isEqualTo(PICTURES_IN_FLIGHT);
  }

  @Test
  void aFifthPictureWaitsUntilTheBrokerAcknowledgesOne() throws Exception {
    uid.join(0);
    uid.setReceiving(MediaKind.VIDEO, true, 0, null);
    for (int i = 0; i < PICTURES_IN_FLIGHT; i++) {
      uid.video(i * 33_333L, picture());
    }
    CompletableFuture<Void> fifth = CompletableFuture.runAsync(() -> {
      try {
        uid.video(PICTURES_IN_FLIGHT * 33_333L, picture());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(bodies(VideoFrame.class)).as("pictures sent before any ack").isEqualTo(PICTURES_IN_FLIGHT);
    assertThat(fifth).isNotDone();
    acknowledgeFirstPicture();
    await().atMost(Duration.ofSeconds(10)).until(fifth::isDone);
    assertThat(bodies(VideoFrame.class)).isEqualTo(PICTURES_IN_FLIGHT + 1);
  }

  private void acknowledgeFirstPicture() {
    List<org.apache.kafka.clients.producer.ProducerRecord<String, SpecificRecord>> sent = producer.history();
    for (int i = 0; i < sent.size(); i++) {
      producer.completeNext();
      if (((MediaRecord) sent.get(i).value()).getBody() instanceof VideoFrame) {
        return;
      }
    }
  }

  private long bodies(Class<?> kind) {
    return producer.history().stream().filter(r -> kind.isInstance(((MediaRecord) r.value()).getBody())).count();
  }

  private static VideoFrame picture() {
    return VideoFrame.newBuilder().setWidth(16).setHeight(16).setStrides(List.of(16, 8, 8))
        .setData(ByteBuffer.allocate(16 * 16 * 3 / 2)).build();
  }

  private static AudioFrame soundBlock() {
    return AudioFrame.newBuilder().setSampleRate(48_000).setChannels(1).setSamples(ByteBuffer.allocate(960)).build();
  }

  /** The records are looked at as objects; their bytes are Avro's concern, tested elsewhere. */
  private static Serializer<SpecificRecord> noBytes() {
    return (topic, record) -> new byte[0];
  }
}
