package io.capstan.uploader;

import static io.capstan.uploader.testing.Recordings.details;
import static io.capstan.uploader.testing.Recordings.sendSlice;
import static io.capstan.uploader.testing.Recordings.committed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.TopicAdmin;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Uploaded;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreFactory;
import io.capstan.storage.StoreSettings;
import io.capstan.uploader.testing.Recordings;
import io.capstan.storage.testing.S3ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 server goes away in the middle of a recording and comes back on the same port; the
 * uploader is also stopped and replaced while the store is down. Every slice and the final
 * playlist must end up in the bucket byte-identical, and no offset may be committed past a file the
 * store has not acknowledged.
 */
@ExtendWith(KafkaBroker.class)
class S3OutageIT {

  /** How long the store is down: the scenario, a minute. */
  static final Duration OUTAGE = Duration.ofSeconds(60);

  @TempDir
  Path root;

  @Test
  void everyFileReachesTheStoreAcrossAnOutageAndAnUploaderRestart(@Bootstrap String bootstrap) throws Exception {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    TopicAdmin.ensure(kafka, Topics.ALL, 3, (short) 1);
    KafkaClients clients = new KafkaClients(kafka);
    String jobId = "out" + UUID.randomUUID().toString().substring(0, 8);
    try (S3ProxyServer s3 = S3ProxyServer.start();
         KafkaProducer<String, SpecificRecord> producer = clients.producer("s3-outage-it");
         Admin admin = Admin.create(kafka)) {
      String bucket = s3.newBucket();
      StorageConfig storage = StorageConfig.newBuilder().setVendor(1).setRegion("0").setBucket(bucket)
          .setAccessKey(S3ProxyServer.ACCESS_KEY).setSecretKey(S3ProxyServer.SECRET_KEY)
          .setEndpoint(s3.endpoint()).setFileNamePrefix(List.of("rec", "x")).build();
      Recordings.sendSpec(producer, Recordings.spec(jobId, storage));
      Config config = Config.of(Map.of("kafka.bootstrap.servers", bootstrap, "uploader.local.root", root.toString(), "addresses.allow.private", "true",
          "uploader.retry.initial", "200ms", "uploader.retry.max", "2s",
          "uploader.multipart.threshold", String.valueOf(6 << 20), "uploader.multipart.part.size",
          String.valueOf(5 << 20)));

      Map<String, byte[]> expected = new LinkedHashMap<>();
      List<String> slices = new ArrayList<>();
      UploaderService first = new UploaderService(ServiceContext.of(config));
      UploaderService second = null;
      try {
        first.start();
        // Before the outage: two slices and their playlists are stored.
        for (int i = 0; i < 2; i++) {
          sendSlice(producer, jobId, i, Recordings.random(400_000 + i * 1000, i), slices, expected);
        }
        ObjectStore bucketView = new StoreFactory(new StoreSettings(root, 6 << 20, 5 << 20)).open(storage);
        await().atMost(Duration.ofSeconds(30)).until(() -> bucketView.list("rec/x/").size() == 3);

        // The store goes down; three more slices arrive, one of them large (3 chunks, a multipart upload).
        s3.stop();
        long downAt = System.nanoTime();
        RecordMetadata firstUnstored = sendSlice(producer, jobId, 2, Recordings.random(500_000, 2), slices, expected);
        sendSlice(producer, jobId, 3, Recordings.random(9 * 1024 * 1024 + 17, 3), slices, expected);
        sendSlice(producer, jobId, 4, Recordings.random(600_000, 4), slices, expected);
        TopicPartition partition = new TopicPartition(Topics.FILES.name(), firstUnstored.partition());
        // Everything before the outage is committed, nothing after it (and it stays so).
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, partition) == firstUnstored.offset());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
            .until(() -> committed(admin, partition) == firstUnstored.offset());

        // The uploader is replaced while the store is still down.
        first.close();
        second = new UploaderService(ServiceContext.of(config));
        second.start();
        long left = OUTAGE.toNanos() - (System.nanoTime() - downAt);
        if (left > 0) {
          Thread.sleep(left / 1_000_000); // the outage's length is the point here, not a condition to await
        }
        assertThat(committed(admin, partition)).isEqualTo(firstUnstored.offset());
        s3.restart();

        // After the outage: the last slice, the final playlist, the end of the job's files.
        sendSlice(producer, jobId, 5, Recordings.random(300_000, 5), slices, expected);
        byte[] finalPlaylist = Recordings.playlist(slices, true);
        Recordings.sendFile(producer, jobId, Recordings.playlistName(jobId), FileKind.PLAYLIST, finalPlaylist);
        expected.put(Recordings.playlistName(jobId), finalPlaylist);
        RecordMetadata end = Recordings.sendEnd(producer, jobId);

        List<RecordingEvent> events = Recordings.awaitEvents(clients, jobId, details(Uploaded.class),
            Duration.ofSeconds(90));
        for (Map.Entry<String, byte[]> file : expected.entrySet()) {
          assertThat(bucketView.get("rec/x/" + file.getKey())).as(file.getKey()).isEqualTo(file.getValue());
        }
        assertThat(bucketView.list("rec/x/")).containsExactlyInAnyOrderElementsOf(
            expected.keySet().stream().map(n -> "rec/x/" + n).toList());
        Uploaded uploaded = (Uploaded) events.stream().filter(details(Uploaded.class)).findFirst().orElseThrow()
            .getDetails();
        assertThat(uploaded.getFileList()).extracting(f -> f.getFileName())
            .containsExactly(Recordings.playlistName(jobId));
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(admin, partition) == end.offset() + 1);
        bucketView.close();
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }


}
