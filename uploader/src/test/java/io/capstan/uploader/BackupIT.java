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
import io.capstan.schemas.Backuped;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingWarning;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Uploaded;
import io.capstan.schemas.UploadingProgress;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreFactory;
import io.capstan.uploader.testing.Recordings;
import io.capstan.storage.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The primary S3 store is down for the whole recording and a local backup store is configured: the
 * files land in the backup with a backuped event, and reach the primary once it is back (then
 * Uploaded follows and the backup no longer holds them).
 */
@ExtendWith(KafkaBroker.class)
class BackupIT {

  @TempDir
  Path root;

  @Test
  void filesGoToTheBackupWhileThePrimaryIsDownAndReachItLater(@Bootstrap String bootstrap) throws Exception {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    TopicAdmin.ensure(kafka, Topics.ALL, 3, (short) 1);
    KafkaClients clients = new KafkaClients(kafka);
    String jobId = "bak" + UUID.randomUUID().toString().substring(0, 8);
    Path backupRoot = root.resolve("backup");
    try (S3ProxyServer s3 = S3ProxyServer.start();
         KafkaProducer<String, SpecificRecord> producer = clients.producer("backup-it")) {
      String bucket = s3.newBucket();
      s3.stop(); // down from the start
      StorageConfig storage = storage(s3, bucket);
      Config config = config(bootstrap, backupRoot);
      try (UploaderService service = new UploaderService(ServiceContext.of(config))) {
        service.start();
        Recordings.sendSpec(producer, Recordings.spec(jobId, storage));
        Map<String, byte[]> expected = new LinkedHashMap<>();
        List<String> slices = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          String name = Recordings.sliceName(jobId, i);
          byte[] slice = Recordings.random(i == 1 ? 5 * 1024 * 1024 : 200_000, i);
          Recordings.sendFile(producer, jobId, name, FileKind.SLICE, slice);
          slices.add(name);
          byte[] playlist = Recordings.playlist(slices, i == 2);
          Recordings.sendFile(producer, jobId, Recordings.playlistName(jobId), FileKind.PLAYLIST, playlist);
          expected.put(name, slice);
          expected.put(Recordings.playlistName(jobId), playlist);
        }
        Recordings.sendEnd(producer, jobId);

        List<RecordingEvent> events = Recordings.withoutPeriodicProgress(Recordings.awaitEvents(clients, jobId,
            details(SessionExit.class), Duration.ofSeconds(60)));
        // Agora's upload warnings, once per file: the first slice is uploaded again (31), then, the
        // store being down for over uploader.backup.after, it and every later file go to the backup (32).
        assertThat(events.stream().map(RecordingEvent::getDetails).filter(RecordingWarning.class::isInstance)
            .map(d -> ((RecordingWarning) d).getWarnCode())).containsExactly(31, 32, 32, 32, 32);
        events = events.stream().filter(e -> !(e.getDetails() instanceof RecordingWarning)).toList();
        assertThat(events).extracting(e -> e.getDetails().getClass().getSimpleName())
            .containsExactly("UploaderStarted", "FileInfo", "Backuped", "SessionExit");
        Backuped backuped = (Backuped) events.get(2).getDetails();
        assertThat(backuped.getFileList()).extracting(FileEntry::getFileName)
            .containsExactly(Recordings.playlistName(jobId));
        Path inBackup = backupRoot.resolve("bk").resolve(jobId).resolve("rec");
        for (Map.Entry<String, byte[]> file : expected.entrySet()) {
          assertThat(Files.readAllBytes(inBackup.resolve(file.getKey()))).as(file.getKey()).isEqualTo(file.getValue());
        }

        // The primary returns: the copier moves every file there, then reports Uploaded.
        s3.restart();
        List<RecordingEvent> after = Recordings.awaitEvents(clients, jobId, details(Uploaded.class),
            Duration.ofSeconds(60));
        Uploaded uploaded = (Uploaded) after.stream().filter(details(Uploaded.class)).findFirst().orElseThrow()
            .getDetails();
        assertThat(uploaded.getFileList()).extracting(FileEntry::getFileName)
            .containsExactly(Recordings.playlistName(jobId));
        // Only now is everything in the primary: 10000 comes with Uploaded, never with Backuped.
        List<RecordingEvent> ends = Recordings.withoutPeriodicProgress(after);
        assertThat(ends).extracting(e -> e.getDetails().getClass().getSimpleName())
            .containsSubsequence("Backuped", "UploadingProgress", "Uploaded");
        assertThat(ends).filteredOn(details(UploadingProgress.class)).singleElement()
            .satisfies(e -> assertThat(((UploadingProgress) e.getDetails()).getProgress()).isEqualTo(10_000));
        try (ObjectStore primary = new StoreFactory(root).open(storage)) {
          for (Map.Entry<String, byte[]> file : expected.entrySet()) {
            assertThat(primary.get("rec/" + file.getKey())).as(file.getKey()).isEqualTo(file.getValue());
          }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(inBackup)
            || Files.list(inBackup).findAny().isEmpty());
      }
    }
  }

  @Test
  void filesLeftInTheBackupByAStoppedUploaderReachThePrimaryAfterARestart(@Bootstrap String bootstrap)
      throws Exception {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    TopicAdmin.ensure(kafka, Topics.ALL, 3, (short) 1);
    KafkaClients clients = new KafkaClients(kafka);
    String jobId = "bak" + UUID.randomUUID().toString().substring(0, 8);
    Path backupRoot = root.resolve("backup");
    try (S3ProxyServer s3 = S3ProxyServer.start();
         KafkaProducer<String, SpecificRecord> producer = clients.producer("backup-it-2")) {
      String bucket = s3.newBucket();
      s3.stop();
      StorageConfig storage = storage(s3, bucket);
      Config config = config(bootstrap, backupRoot);
      JobSpec spec = Recordings.spec(jobId, storage);
      String slice = Recordings.sliceName(jobId, 0);
      byte[] sliceData = Recordings.random(300_000, 11);
      byte[] playlist = Recordings.playlist(List.of(slice), true);
      try (UploaderService first = new UploaderService(ServiceContext.of(config))) {
        first.start();
        Recordings.sendSpec(producer, spec);
        Recordings.sendFile(producer, jobId, slice, FileKind.SLICE, sliceData);
        Recordings.sendFile(producer, jobId, Recordings.playlistName(jobId), FileKind.PLAYLIST, playlist);
        Recordings.sendEnd(producer, jobId);
        Recordings.awaitEvents(clients, jobId, details(SessionExit.class), Duration.ofSeconds(60));
      }
      // The job has ended (ingest says so on capstan.jobs); the primary returns while no uploader runs.
      Recordings.sendSpec(producer, JobSpec.newBuilder(spec).setRunning(false).build());
      s3.restart();
      try (UploaderService second = new UploaderService(ServiceContext.of(config))) {
        second.start();
        List<RecordingEvent> events = Recordings.awaitEvents(clients, jobId, details(Uploaded.class),
            Duration.ofSeconds(60));
        Uploaded uploaded = (Uploaded) events.stream().filter(details(Uploaded.class)).findFirst().orElseThrow()
            .getDetails();
        assertThat(uploaded.getFileList()).extracting(FileEntry::getFileName)
            .containsExactly(Recordings.playlistName(jobId));
        try (ObjectStore primary = new StoreFactory(root).open(storage)) {
          assertThat(primary.get("rec/" + slice)).isEqualTo(sliceData);
          assertThat(primary.get("rec/" + Recordings.playlistName(jobId))).isEqualTo(playlist);
        }
      }
    }
  }

  private static StorageConfig storage(S3ProxyServer s3, String bucket) {
    return StorageConfig.newBuilder().setVendor(1).setRegion("us-east-1").setBucket(bucket)
        .setAccessKey(S3ProxyServer.ACCESS_KEY).setSecretKey(S3ProxyServer.SECRET_KEY)
        .setEndpoint(s3.endpoint()).setFileNamePrefix(List.of("rec")).build();
  }

  private static Config config(String bootstrap, Path backupRoot) {
    return Config.of(Map.ofEntries(Map.entry("kafka.bootstrap.servers", bootstrap),
        Map.entry("uploader.local.root", backupRoot.resolveSibling("local").toString()),
        Map.entry("uploader.retry.initial", "200ms"), Map.entry("uploader.retry.max", "1s"),
        Map.entry("uploader.backup.vendor", "99"), Map.entry("uploader.backup.bucket", "bk"),
        Map.entry("uploader.backup.local.root", backupRoot.toString()),
        Map.entry("uploader.backup.after", "1s"), Map.entry("addresses.allow.private", "true")));
  }
}
