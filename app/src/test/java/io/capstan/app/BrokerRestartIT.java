package io.capstan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.app.follow.EventFollower;
import io.capstan.app.wiring.Deployment;
import io.capstan.app.wiring.ServiceCatalog;
import io.capstan.broker.EmbeddedKafka;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.Source;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StopCommand;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.Uploaded;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away for 2 minutes (past every transaction timeout and the producers' request
 * timeouts) in the middle of a live recording and comes back: every service
 * carries on with the same recording, which is stored whole and ends once.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class BrokerRestartIT {

  private static final Duration OUTAGE = Duration.ofMinutes(2);

  @Test
  void aLiveRecordingOutlivesABrokerRestart(@TempDir Path dir) throws Exception {
    Path storage = Files.createDirectories(dir.resolve("storage"));
    EmbeddedKafka broker = new EmbeddedKafka(dir.resolve("kafka"), freePort()).start();
    String sid = UUID.randomUUID().toString().replace("-", "");
    try (Deployment deployment = Deployment.start(Config.of(Map.of(
        Config.BOOTSTRAP.name(), broker.bootstrapServers(),
        "uploader.local.root", storage.toString(),
        "notifier.state.dir", dir.resolve("state").toString())), ServiceCatalog.all(), 0);
         EventFollower events = new EventFollower(deployment.context().kafka())) {
      await().atMost(Duration.ofSeconds(90)).until(deployment::ready);
      send(deployment, sid, StartCommand.newBuilder().setSpec(spec(sid)).build());
      Path bucket = storage.resolve("r");
      await().atMost(Duration.ofSeconds(60)).until(() -> slices(bucket).size() >= 2);

      broker.close();
      long stoppedMs = System.currentTimeMillis();
      Thread.sleep(OUTAGE.toMillis()); // the outage itself: nothing to wait for but the clock
      broker.start();
      FileTime back = FileTime.fromMillis(System.currentTimeMillis());
      System.out.printf("broker back after %d ms%n", System.currentTimeMillis() - stoppedMs);

      await().atMost(Duration.ofSeconds(120)).until(deployment::ready);
      long readyMs = System.currentTimeMillis() - back.toMillis();
      // New slices of the same recording after the restart: the services carried on.
      await().atMost(Duration.ofSeconds(90)).until(() -> slices(bucket).stream()
          .anyMatch(p -> modifiedAfter(p, back)));
      System.out.printf("after the restart: every service ready in %d ms, the next slice stored in %d ms%n",
          readyMs, System.currentTimeMillis() - back.toMillis());
      send(deployment, sid, StopCommand.newBuilder().setAsync(true).build());
      List<Object> ends = new ArrayList<>();
      assertThat(events.follow(sid, Duration.ofSeconds(120), e -> {
        if (e.getDetails() instanceof Uploaded || e.getDetails() instanceof SessionExit) {
          ends.add(e.getDetails());
        }
        return e.getDetails() instanceof SessionExit;
      }, () -> { })).isTrue();
      assertThat(ends).hasSize(2).first().isInstanceOf(Uploaded.class);
      assertThat(((SessionExit) ends.get(1)).getExitStatus()).isZero();

      Path playlist = bucket.resolve(sid + "_outage.m3u8");
      assertThat(Files.readString(playlist)).contains("#EXT-X-ENDLIST");
      List<String[]> entries = HlsProbe.entries(playlist);
      double seconds = entries.stream().mapToDouble(e -> Double.parseDouble(e[1])).sum();
      System.out.printf("recorded %d slices, %.1f s, across a %d s outage%n", entries.size(), seconds,
          OUTAGE.toSeconds());
      assertThat(entries.size()).as("slices before and after the outage in one playlist").isGreaterThanOrEqualTo(4);
      HlsProbe.Slice last = HlsProbe.decode(bucket.resolve(entries.get(entries.size() - 1)[0]), 0);
      assertThat(last.videoFrames()).isPositive();
      try (Stream<Path> playlists = Files.list(bucket)) {
        assertThat(playlists.filter(p -> p.toString().endsWith(".m3u8"))).hasSize(1);
      }
    } finally {
      broker.close();
    }
  }

  private static JobSpec spec(String sid) {
    return JobSpec.newBuilder().setJobId(sid).setChannel("outage").setMode(RecordingMode.COMPOSITE)
        .setSubscriptions(Subscriptions.newBuilder().build()).setDecryption(Decryption.newBuilder().build())
        .setSources(List.of(Source.newBuilder().setUid("1").setUrl("lavfi:testsrc2=size=320x240:rate=15[out0];"
            + "sine=frequency=500:sample_rate=48000[out1]").build()))
        .setTranscoding(Transcoding.newBuilder().setWidth(320).setHeight(240).setFps(15)
            .setLayout(Layout.newBuilder().build()).build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(2).build())
        .setStorage(StorageConfig.newBuilder().setVendor(99).setBucket("r").build())
        .setMaxIdleTimeSeconds(120)
        .setStartedUtcMs(0).build();
  }

  private static void send(Deployment deployment, String sid, Object action) throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = deployment.context().kafka().producer("outage-test")) {
      producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), sid, RecordingCommand.newBuilder().setJobId(sid)
          .setCommandId(UUID.randomUUID().toString()).setIssuedUtcMs(System.currentTimeMillis()).setAction(action)
          .build())).get(60, TimeUnit.SECONDS);
    }
  }

  private static List<Path> slices(Path bucket) throws IOException {
    if (!Files.isDirectory(bucket)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(bucket)) {
      return files.filter(p -> p.toString().endsWith(".ts")).toList();
    }
  }

  private static boolean modifiedAfter(Path file, FileTime time) {
    try {
      return Files.getLastModifiedTime(file).compareTo(time) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
