package io.capstan.uploader;

import static io.capstan.uploader.testing.Recordings.details;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.TopicAdmin;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.FileChunk;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Uploaded;
import io.capstan.schemas.UploadingProgress;
import io.capstan.uploader.testing.Recordings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One job's store takes requests and never answers (a hung S3 endpoint). Another job, on another
 * partition, must be stored meanwhile: jobs are written concurrently. The hung job's
 * uploading_progress says nothing is stored; the healthy one's says it keeps up, then 10000 with
 * Uploaded.
 */
@ExtendWith(KafkaBroker.class)
class StalledStoreIT {

  private static final int PARTITIONS = 3;

  @TempDir
  Path root;

  @Test
  void aHungStoreHoldsBackOnlyItsOwnJob(@Bootstrap String bootstrap) throws Exception {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    TopicAdmin.ensure(kafka, Topics.ALL, PARTITIONS, (short) 1);
    KafkaClients clients = new KafkaClients(kafka);
    List<String> ids = jobsOnTwoPartitions();
    String stuck = ids.get(0);
    String healthy = ids.get(1);
    long start = System.currentTimeMillis() - 40_000;

    // Closed in reverse: the hung server first, so the write it holds fails and the uploader stops at once.
    try (UploaderService service = new UploaderService(ServiceContext.of(Config.of(Map.of(
             "kafka.bootstrap.servers", bootstrap, "uploader.local.root", root.toString(), "addresses.allow.private", "true",
             "uploader.progress.interval", "1s"))));
         KafkaProducer<String, SpecificRecord> producer = clients.producer("stalled-store-it");
         HungServer hung = new HungServer()) {
      service.start();
      StorageConfig hungS3 = StorageConfig.newBuilder().setVendor(1).setRegion("0").setBucket("hung")
          .setAccessKey("AKIAHUNG").setSecretKey("hung-secret").setEndpoint(hung.endpoint()).build();
      StorageConfig local = StorageConfig.newBuilder().setVendor(99).setBucket("ok").build();
      Recordings.sendSpec(producer, live(Recordings.spec(stuck, hungS3), start));
      sendSlice(producer, stuck, 0, start);
      await().atMost(Duration.ofSeconds(30)).until(() -> hung.accepted() > 0);

      // The healthy job has recorded 30 s so far; its three 10 s slices arrive while the other job hangs.
      long healthyStart = System.currentTimeMillis() - 30_000;
      Recordings.sendSpec(producer, live(Recordings.spec(healthy, local), healthyStart));

      List<String> slices = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        slices.add(sendSlice(producer, healthy, i, healthyStart));
      }
      byte[] playlist = Recordings.playlist(slices, true);
      Recordings.sendFile(producer, healthy, Recordings.playlistName(healthy), FileKind.PLAYLIST, playlist);
      // 30 s of slices stored of 30 s recorded (the next slice is still being made): it keeps up.
      Recordings.awaitEvents(clients, healthy, progress(p -> p == 9_999), Duration.ofSeconds(10));
      Recordings.sendEnd(producer, healthy);

      List<RecordingEvent> events = Recordings.awaitEvents(clients, healthy, details(Uploaded.class),
          Duration.ofSeconds(20));
      assertThat(hung.accepted()).as("the hung store is still holding the other job's write").isPositive();
      for (String slice : slices) {
        assertThat(root.resolve("ok").resolve(slice)).exists();
      }
      assertThat(Files.readAllBytes(root.resolve("ok").resolve(Recordings.playlistName(healthy)))).isEqualTo(playlist);
      List<RecordingEvent> last = Recordings.withoutPeriodicProgress(events);
      int uploaded = last.indexOf(last.stream().filter(details(Uploaded.class)).findFirst().orElseThrow());
      assertThat(last.get(uploaded - 1).getDetails()).as("the event before Uploaded")
          .isEqualTo(UploadingProgress.newBuilder().setProgress(10_000).build());

      // The hung job has nothing stored of its 40 s: it says so, every interval.
      List<RecordingEvent> stuckEvents = Recordings.awaitEvents(clients, stuck, progress(p -> p == 0),
          Duration.ofSeconds(10));
      assertThat(stuckEvents).noneMatch(details(Uploaded.class));

      // The user points the hung job at a store that works: its waiting slice goes there, and the
      // partition it held is free again (later tests share this broker and group).
      hung.close();
      Recordings.sendSpec(producer, live(Recordings.spec(stuck, StorageConfig.newBuilder().setVendor(99)
          .setBucket("moved").build()), start));
      Recordings.sendEnd(producer, stuck);
      Recordings.awaitEvents(clients, stuck, details(Uploaded.class), Duration.ofSeconds(60));
      assertThat(root.resolve("moved").resolve(Recordings.sliceName(stuck, 0))).exists();
    }
  }

  private static JobSpec live(JobSpec spec, long startUtcMs) {
    spec.setStartedUtcMs(startUtcMs);
    spec.setFiles(FileConfig.newBuilder().setSliceSeconds(10).build());
    return spec;
  }

  /** Slice {@code i}, 10 s long, as the segmenter sends it: it covers [start + 10 i, start + 10 (i + 1)). */
  private static String sendSlice(KafkaProducer<String, SpecificRecord> producer, String jobId, int i, long start)
      throws Exception {
    String name = Recordings.sliceName(jobId, i);
    FileChunk chunk = FileChunk.newBuilder().setJobId(jobId).setFileName(name).setKind(FileKind.SLICE).setOffset(0)
        .setLast(true).setData(ByteBuffer.wrap(Recordings.random(100_000, i))).setUid("")
        .setTrackType("audio_and_video").setStartUtcMs(start + i * 10_000L).setDurationSeconds(10).build();
    producer.send(new ProducerRecord<>(Topics.FILES.name(), jobId, chunk)).get();
    return name;
  }

  private static Predicate<RecordingEvent> progress(java.util.function.IntPredicate figure) {
    return e -> e.getDetails() instanceof UploadingProgress p && figure.test(p.getProgress());
  }

  /** Two job ids whose files land on different partitions of capstan.files (the producer's key hash). */
  private static List<String> jobsOnTwoPartitions() {
    String first = "hung-" + UUID.randomUUID().toString().substring(0, 8);
    int partition = partitionOf(first);
    while (true) {
      String second = "fine-" + UUID.randomUUID().toString().substring(0, 8);
      if (partitionOf(second) != partition) {
        return List.of(first, second);
      }
    }
  }

  private static int partitionOf(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  /** Accepts connections and never answers; closing it drops them, so the hung writes fail at once. */
  private static final class HungServer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    HungServer() throws IOException {
      acceptor = new Thread(() -> {
        try {
          while (!server.isClosed()) {
            held.add(server.accept());
          }
        } catch (IOException e) {
          // closed
        }
      }, "hung-s3");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String endpoint() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    int accepted() {
      return held.size();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : held) {
        socket.close();
      }
    }
  }
}
