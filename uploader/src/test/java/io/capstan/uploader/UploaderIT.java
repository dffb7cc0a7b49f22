package io.capstan.uploader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.TopicAdmin;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileChunk;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.FileInfo;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Uploaded;
import io.capstan.schemas.UploaderStarted;
import io.capstan.schemas.UploadingProgress;
import io.capstan.uploader.testing.Recordings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBroker.class)
class UploaderIT {

  private static final long T0 = 1_795_000_000_000L;

  @TempDir
  Path root;

  @Test
  void storesAJobsFilesUnderBucketAndPrefixAndReportsThem(@Bootstrap String bootstrap) throws Exception {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    TopicAdmin.ensure(kafka, Topics.ALL, 3, (short) 1);
    KafkaClients clients = new KafkaClients(kafka);
    String jobId = "up-" + UUID.randomUUID().toString().substring(0, 8);
    byte[] slice1 = random(300_000, 1);
    byte[] slice2 = random(500_000, 2);
    String name1 = jobId + "_room_20261118014320000.ts";
    String name2 = jobId + "_room_20261118014330000.ts";
    String playlistName = jobId + "_room.m3u8";
    byte[] playlist = ("#EXTM3U\n#EXTINF:10.000,\n" + name1 + "\n#EXTINF:10.000,\n" + name2 + "\n#EXT-X-ENDLIST\n")
        .getBytes(StandardCharsets.UTF_8);

    try (UploaderService service = new UploaderService(ServiceContext.of(Config.of(Map.of(
        "kafka.bootstrap.servers", bootstrap, "uploader.local.root", root.toString(), "addresses.allow.private", "true"))));
         KafkaProducer<String, SpecificRecord> producer = clients.producer("uploader-it")) {
      service.start();
      producer.send(new ProducerRecord<>(Topics.JOBS.name(), jobId, spec(jobId, storage(99)))).get();
      send(producer, chunk(jobId, name1, FileKind.SLICE, slice1, 0, slice1.length, true));
      send(producer, chunk(jobId, name2, FileKind.SLICE, slice2, 0, 200_000, false));
      send(producer, chunk(jobId, name2, FileKind.SLICE, slice2, 200_000, slice2.length - 200_000, true));
      send(producer, chunk(jobId, playlistName, FileKind.PLAYLIST, playlist, 0, playlist.length, true));
      send(producer, endOfFiles(jobId));
      producer.flush();

      List<RecordingEvent> events = Recordings.withoutPeriodicProgress(awaitEvents(clients, jobId,
          SessionExit.class));
      Path dir = root.resolve("b/dir/x");
      assertThat(Files.readAllBytes(dir.resolve(name1))).isEqualTo(slice1);
      assertThat(Files.readAllBytes(dir.resolve(name2))).isEqualTo(slice2);
      assertThat(Files.readAllBytes(dir.resolve(playlistName))).isEqualTo(playlist);
      try (var listing = Files.list(dir)) {
        assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(name1, name2, playlistName);
      }

      assertThat(events).extracting(e -> e.getDetails().getClass().getSimpleName())
          .containsExactly("UploaderStarted", "FileInfo", "UploadingProgress", "Uploaded", "SessionExit");
      assertThat(((FileInfo) events.get(1).getDetails()).getFileList()).extracting(FileEntry::getFileName)
          .containsExactly(playlistName);
      assertThat(((UploadingProgress) events.get(2).getDetails()).getProgress()).isEqualTo(10_000);
      Uploaded uploaded = (Uploaded) events.get(3).getDetails();
      assertThat(uploaded.getFileList()).containsExactly(FileEntry.newBuilder().setFileName(playlistName)
          .setTrackType("audio_and_video").setUid("0").setMixedAllUser(true).setIsPlayable(true)
          .setSliceStartTime(T0).build());
      assertThat(((SessionExit) events.get(4).getDetails()).getExitStatus()).isZero();
      assertThat(events.get(0).getDetails()).isInstanceOf(UploaderStarted.class);
    }
  }

  @Test
  void theFileListSurvivesAnUploaderRestartByListingTheStore(@Bootstrap String bootstrap) throws Exception {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    TopicAdmin.ensure(kafka, Topics.ALL, 3, (short) 1);
    KafkaClients clients = new KafkaClients(kafka);
    String jobId = "up-" + UUID.randomUUID().toString().substring(0, 8);
    String slice = jobId + "_room_20261118014320000.ts";
    String playlistName = jobId + "_room.m3u8";
    byte[] playlist = ("#EXTM3U\n#EXTINF:10.000,\n" + slice + "\n#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8);
    Map<String, String> settings = Map.of("kafka.bootstrap.servers", bootstrap, "uploader.local.root",
        root.toString(), "addresses.allow.private", "true");
    try (KafkaProducer<String, SpecificRecord> producer = clients.producer("uploader-it-3")) {
      try (UploaderService first = new UploaderService(ServiceContext.of(Config.of(settings)))) {
        first.start();
        producer.send(new ProducerRecord<>(Topics.JOBS.name(), jobId, spec(jobId, storage(99)))).get();
        byte[] data = random(1000, 4);
        FileChunk sliceChunk = chunk(jobId, slice, FileKind.SLICE, data, 0, data.length, true);
        sliceChunk.setStartUtcMs(0); // only the name tells when it starts
        send(producer, sliceChunk);
        RecordMetadata last = producer.send(new ProducerRecord<>(Topics.FILES.name(), jobId,
            chunk(jobId, playlistName, FileKind.PLAYLIST, playlist, 0, playlist.length, true))).get();
        TopicPartition partition = new TopicPartition(Topics.FILES.name(), last.partition());
        try (Admin admin = Admin.create(kafka)) {
          await().atMost(Duration.ofSeconds(30)).until(() -> {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(UploaderService.GROUP)
                .partitionsToOffsetAndMetadata().get().get(partition);
            return committed != null && committed.offset() > last.offset();
          });
        }
      }
      // A new uploader sees only the end of the job's files: the list comes from the store.
      try (UploaderService second = new UploaderService(ServiceContext.of(Config.of(settings)))) {
        second.start();
        send(producer, endOfFiles(jobId));
        producer.flush();
        List<RecordingEvent> events = awaitEvents(clients, jobId, SessionExit.class);
        Uploaded uploaded = (Uploaded) events.stream().filter(e -> e.getDetails() instanceof Uploaded).findFirst()
            .orElseThrow().getDetails();
        assertThat(uploaded.getFileList()).containsExactly(FileEntry.newBuilder().setFileName(playlistName)
            .setTrackType("audio_and_video").setUid("0").setMixedAllUser(true).setIsPlayable(true)
            .setSliceStartTime(1794966200000L).build());
      }
    }
  }

  @Test
  void anUnsupportedVendorIsAnErrorEventNotACrash(@Bootstrap String bootstrap) throws Exception {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    TopicAdmin.ensure(kafka, Topics.ALL, 3, (short) 1);
    KafkaClients clients = new KafkaClients(kafka);
    String jobId = "up-" + UUID.randomUUID().toString().substring(0, 8);
    byte[] slice = random(1000, 3);
    try (UploaderService service = new UploaderService(ServiceContext.of(Config.of(Map.of(
        "kafka.bootstrap.servers", bootstrap, "uploader.local.root", root.toString(), "addresses.allow.private", "true"))));
         KafkaProducer<String, SpecificRecord> producer = clients.producer("uploader-it-2")) {
      service.start();
      producer.send(new ProducerRecord<>(Topics.JOBS.name(), jobId, spec(jobId, storage(9)))).get();
      send(producer, chunk(jobId, jobId + "_room_20261118014320000.ts", FileKind.SLICE, slice, 0, slice.length, true));
      send(producer, endOfFiles(jobId));
      producer.flush();

      List<RecordingEvent> events = awaitEvents(clients, jobId, SessionExit.class);
      assertThat(events).extracting(e -> e.getDetails().getClass().getSimpleName())
          .containsExactly("RecordingError", "SessionExit");
      RecordingError error = (RecordingError) events.get(0).getDetails();
      assertThat(error.getModule()).isEqualTo("uploader");
      assertThat(error.getErrorMsg()).contains("vendor 9 is not supported").doesNotContain("SECRET");
      assertThat(root.resolve("b")).doesNotExist();
    }
  }

  private static void send(KafkaProducer<String, SpecificRecord> producer, FileChunk chunk) {
    producer.send(new ProducerRecord<>(Topics.FILES.name(), chunk.getJobId(), chunk));
  }

  private static FileChunk chunk(String jobId, String name, FileKind kind, byte[] data, int offset, int length,
                                 boolean last) {
    return FileChunk.newBuilder().setJobId(jobId).setFileName(name).setKind(kind).setOffset(offset).setLast(last)
        .setData(ByteBuffer.wrap(Arrays.copyOfRange(data, offset, offset + length))).setUid("")
        .setTrackType("audio_and_video").setStartUtcMs(T0).setDurationSeconds(10).build();
  }

  private static FileChunk endOfFiles(String jobId) {
    return FileChunk.newBuilder().setJobId(jobId).setFileName("").setKind(FileKind.END_OF_FILES)
        .setData(ByteBuffer.allocate(0)).build();
  }

  private static StorageConfig storage(int vendor) {
    return StorageConfig.newBuilder().setVendor(vendor).setBucket("b").setAccessKey("ACCESSKEY")
        .setSecretKey("SECRETKEY").setFileNamePrefix(List.of("dir", "x")).build();
  }

  private static JobSpec spec(String jobId, StorageConfig storage) {
    return JobSpec.newBuilder().setJobId(jobId).setChannel("room").setMode(RecordingMode.COMPOSITE)
        .setSubscriptions(Subscriptions.newBuilder().build()).setDecryption(Decryption.newBuilder().build())
        .setFiles(FileConfig.newBuilder().build()).setStorage(storage).setStartedUtcMs(T0).build();
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static List<RecordingEvent> awaitEvents(KafkaClients clients, String jobId, Class<?> lastType) {
    List<RecordingEvent> events = new ArrayList<>();
    try (KafkaConsumer<String, RecordingEvent> consumer = clients.consumer(Topics.EVENTS, null, "uploader-it-events")) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        for (ConsumerRecord<String, RecordingEvent> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key().equals(jobId)) {
            events.add(r.value());
          }
        }
        return events.stream().anyMatch(e -> lastType.isInstance(e.getDetails()));
      });
    }
    return events;
  }
}
