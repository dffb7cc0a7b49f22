package io.capstan.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.broker.EmbeddedKafka;
import io.capstan.schemas.Watermark;
import io.capstan.schemas.serde.AvroTrust;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A view asked for a key written (and acknowledged) a moment ago finds it, however far its idle
 * reader lags; a key never written is answered as absent once the view has read to the topic's
 * end, not after the caller's whole timeout (the services' spec waits: a missing spec is reported
 * at once, a written one is never missed).
 */
class TopicViewIT {

  private static final TopicSpec<Watermark> TOPIC = new TopicSpec<>("view-it.values", 3, Map.of(), Watermark.class);
  /** Far longer than any test run: a call that waited for it would fail the test by its own guard. */
  private static final Duration NEVER = Duration.ofHours(1);

  @TempDir
  static Path dir;
  private static EmbeddedKafka kafka;
  private static KafkaClients clients;

  @BeforeAll
  static void broker() throws Exception {
    AvroTrust.install();
    kafka = new EmbeddedKafka(dir, freePort()).start();
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC.name(), 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    clients = new KafkaClients(Map.of("bootstrap.servers", kafka.bootstrapServers()));
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void answersWhatTheTopicHoldsNow() throws Exception {
    try (TopicView<Watermark> view = new TopicView<>(clients, TOPIC, "view-it");
         KafkaProducer<String, SpecificRecord> producer = clients.producer("view-it-writer")) {
      view.start();
      assertThat(view.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();

      for (int i = 0; i < 20; i++) {
        String key = "job-" + i;
        write(producer, key);
        Optional<Watermark> seen = ask(view, key);
        assertThat(seen).as("written before the call: %s", key).isPresent();
        assertThat(seen.get().getNote()).isEqualTo(key);
      }

      assertThat(ask(view, "never-written")).isEmpty();
      assertThat(ask(view, "never-written-either")).isEmpty();
    }
  }

  /**
   * The services of one process share a view: one service done with it (closed) leaves the others
   * reading, and once the last has closed it the next service to open it gets a fresh reader.
   */
  @Test
  void aSharedViewReadsUntilItsLastHolderClosesIt() throws Exception {
    try (SharedViews views = new SharedViews(clients, topic -> "it-view-" + topic);
         KafkaProducer<String, SpecificRecord> producer = clients.producer("view-it-writer")) {
      TopicView<Watermark> first = views.open(TOPIC);
      TopicView<Watermark> second = views.open(TOPIC);
      first.start();
      second.start(); // already reading: no second reader
      write(producer, "before");
      assertThat(ask(second, "before")).isPresent();
      assertThat(readers()).as("one reader for the process").isEqualTo(1);

      first.close();
      first.close(); // a holder closing twice lets go once
      write(producer, "after-one-closed");
      assertThat(ask(second, "after-one-closed")).as("still read for the holder left").isPresent();

      second.close();
      assertThat(readers()).as("the last close stopped the reader").isZero();
      TopicView<Watermark> next = views.open(TOPIC);
      next.start();
      assertThat(ask(next, "after-one-closed")).as("a fresh reader for the next holder").isPresent();
      assertThat(readers()).isEqualTo(1);
      next.close();
    }
  }

  private static long readers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("view-" + TOPIC.name()) && t.isAlive()).count();
  }

  private static void write(KafkaProducer<String, SpecificRecord> producer, String key) throws Exception {
    producer.send(new ProducerRecord<>(TOPIC.name(), key, Watermark.newBuilder().setNote(key).build()))
        .get(30, TimeUnit.SECONDS);
  }

  /** {@link TopicView#current} with no practical timeout, guarded so that a call that waits for it fails. */
  private static Optional<Watermark> ask(TopicView<Watermark> view, String key) throws Exception {
    return CompletableFuture.supplyAsync(() -> view.current(key, NEVER)).get(60, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
