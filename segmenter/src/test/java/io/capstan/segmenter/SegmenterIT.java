package io.capstan.segmenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.TopicAdmin;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.FileChunk;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Packet;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SliceStart;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.serde.AvroTrust;
import io.capstan.segmenter.media.Decoded;
import io.capstan.segmenter.media.TestMedia;
import io.capstan.segmenter.naming.FileNames;
import io.micrometer.core.instrument.Counter;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBroker.class)
class SegmenterIT {

  private static final long STARTED_UTC_MS = 1_795_000_000_123L;

  @TempDir
  Path dir;

  @BeforeAll
  static void trustContracts() {
    // Builders fill enum defaults from the schema, which Avro does only for trusted classes.
    AvroTrust.install();
  }

  @Test
  void sixSecondsOfPacketsBecomeThreeSlicesAndAFinalPlaylist(@Bootstrap String bootstrap) throws Exception {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    TopicAdmin.ensure(kafka, Topics.ALL, 3, (short) 1);
    String jobId = "seg-" + UUID.randomUUID();
    KafkaClients clients = new KafkaClients(kafka);
    List<Packet> packets = TestMedia.encode(6, 2);

    try (SegmenterService service = new SegmenterService(ServiceContext.of(Config.of(
        Map.of("kafka.bootstrap.servers", bootstrap))));
         KafkaProducer<String, SpecificRecord> producer = clients.producer("segmenter-it")) {
      service.start();
      producer.send(new ProducerRecord<>(Topics.JOBS.name(), jobId, spec(jobId))).get();
      for (Packet p : packets) {
        producer.send(new ProducerRecord<>(Topics.PACKETS.name(), jobId,
            EncodedPacket.newBuilder().setJobId(jobId).setUid("").setTimestampUs(p.getDtsUs()).setBody(p).build()));
      }
      producer.send(new ProducerRecord<>(Topics.PACKETS.name(), jobId, EncodedPacket.newBuilder().setJobId(jobId)
          .setUid("").setTimestampUs(6_000_000).setBody(EndOfJob.newBuilder().setUtcMs(STARTED_UTC_MS + 6000).build())
          .build())).get();

      List<FileChunk> files = readUntilEndOfFiles(clients, jobId);
      assertThat(files.get(files.size() - 1).getKind()).isEqualTo(FileKind.END_OF_FILES);
      FileChunk finalPlaylist = files.get(files.size() - 2);
      assertThat(finalPlaylist.getKind()).isEqualTo(FileKind.PLAYLIST);
      assertThat(finalPlaylist.getFileName()).isEqualTo(jobId + "_room1.m3u8");
      String playlist = text(finalPlaylist);
      assertThat(playlist).contains("#EXT-X-PLAYLIST-TYPE:EVENT").endsWith("#EXT-X-ENDLIST\n");

      Map<String, ByteArrayOutputStream> slices = new LinkedHashMap<>();
      for (FileChunk chunk : files) {
        if (chunk.getKind() == FileKind.SLICE) {
          slices.computeIfAbsent(chunk.getFileName(), n -> new ByteArrayOutputStream()).write(bytes(chunk));
        }
      }
      List<String> expected = List.of(0L, 2000L, 4000L).stream()
          .map(ms -> jobId + "_room1_" + FileNames.utc(STARTED_UTC_MS + ms) + ".ts").toList();
      assertThat(slices.keySet()).containsExactlyElementsOf(expected);
      assertThat(playlistUris(playlist)).containsExactlyElementsOf(expected);
      assertThat(extinfSum(playlist)).isCloseTo(6.0, within(0.1));
      for (Map.Entry<String, ByteArrayOutputStream> slice : slices.entrySet()) {
        Decoded d = Decoded.of(Files.write(dir.resolve(slice.getKey()), slice.getValue().toByteArray()));
        assertThat(d.firstVideoFrameKey()).as(slice.getKey() + " starts with a keyframe").isTrue();
        assertThat(d.videoFrames()).as(slice.getKey()).isEqualTo(2 * TestMedia.FPS);
        assertThat(d.audioSamples()).as(slice.getKey() + " has audio").isGreaterThan(TestMedia.SAMPLE_RATE);
      }

      SliceStart sliceStart = readEvents(clients, jobId).stream().map(RecordingEvent::getDetails)
          .filter(SliceStart.class::isInstance).map(SliceStart.class::cast).findFirst().orElseThrow();
      assertThat(sliceStart.getStartUtcMs()).isEqualTo(STARTED_UTC_MS);
      assertThat(sliceStart.getMixedAllUser()).isTrue();
    }
  }

  @Test
  void anotherInstanceContinuesTheJobFromTheCommittedSliceBoundary(@Bootstrap String bootstrap) throws Exception {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    TopicAdmin.ensure(kafka, Topics.ALL, 3, (short) 1);
    String jobId = "seg-restart-" + UUID.randomUUID();
    KafkaClients clients = new KafkaClients(kafka);
    List<Packet> packets = TestMedia.encode(6, 2);
    Config config = Config.of(Map.of("kafka.bootstrap.servers", bootstrap));

    try (KafkaProducer<String, SpecificRecord> producer = clients.producer("segmenter-it-restart")) {
      producer.send(new ProducerRecord<>(Topics.JOBS.name(), jobId, spec(jobId))).get();
      try (SegmenterService first = new SegmenterService(ServiceContext.of(config))) {
        first.start();
        packets.stream().filter(p -> p.getDtsUs() < 3_000_000).forEach(p -> sendPacket(producer, jobId, p));
        producer.flush();
        // The first slice and its playlist are committed once the keyframe at 2 s arrived.
        readUntil(clients, jobId, files -> files.stream().anyMatch(f -> f.getKind() == FileKind.PLAYLIST));
      }
      try (SegmenterService second = new SegmenterService(ServiceContext.of(config))) {
        second.start();
        packets.stream().filter(p -> p.getDtsUs() >= 3_000_000).forEach(p -> sendPacket(producer, jobId, p));
        producer.send(new ProducerRecord<>(Topics.PACKETS.name(), jobId, EncodedPacket.newBuilder().setJobId(jobId)
            .setUid("").setTimestampUs(6_000_000).setBody(EndOfJob.newBuilder().setUtcMs(STARTED_UTC_MS + 6000)
                .build()).build())).get();
        List<FileChunk> files = readUntilEndOfFiles(clients, jobId);

        List<String> expected = List.of(0L, 2000L, 4000L).stream()
            .map(ms -> jobId + "_room1_" + FileNames.utc(STARTED_UTC_MS + ms) + ".ts").toList();
        String playlist = text(files.get(files.size() - 2));
        assertThat(playlistUris(playlist)).as("the playlist keeps the slice made before the restart")
            .containsExactlyElementsOf(expected);
        assertThat(playlist).endsWith("#EXT-X-ENDLIST\n").doesNotContain("#EXT-X-DISCONTINUITY");
        assertThat(extinfSum(playlist)).isCloseTo(6.0, within(0.1));
        assertThat(files.stream().filter(f -> f.getKind() == FileKind.SLICE).map(FileChunk::getFileName))
            .as("every slice written once").containsExactlyElementsOf(expected);
        Map<String, ByteArrayOutputStream> slices = new LinkedHashMap<>();
        for (FileChunk chunk : files) {
          if (chunk.getKind() == FileKind.SLICE) {
            slices.computeIfAbsent(chunk.getFileName(), n -> new ByteArrayOutputStream()).write(bytes(chunk));
          }
        }
        for (Map.Entry<String, ByteArrayOutputStream> slice : slices.entrySet()) {
          Decoded d = Decoded.of(Files.write(dir.resolve(slice.getKey()), slice.getValue().toByteArray()));
          assertThat(d.firstVideoFrameKey()).as(slice.getKey()).isTrue();
          assertThat(d.videoFrames()).as(slice.getKey()).isEqualTo(2 * TestMedia.FPS);
        }
        assertThat(readEvents(clients, jobId).stream().filter(e -> e.getDetails() instanceof SliceStart))
            .as("one SliceStart for the job").hasSize(1);
      }
    }
  }

  @Test
  void packetsInsideASliceMoveNoOffsetsAndCostTheBrokerNoTransactions(@Bootstrap String bootstrap) throws Exception {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    TopicAdmin.ensure(kafka, Topics.ALL, 3, (short) 1);
    String jobId = "seg-quiet-" + UUID.randomUUID();
    KafkaClients clients = new KafkaClients(kafka);
    // The first slice and the keyframe that ends it, in bursts of 200 ms as a live mixer commits them.
    List<Packet> packets = TestMedia.encode(4, 2).stream().filter(p -> p.getDtsUs() <= 2_000_000).toList();
    ServiceContext ctx = ServiceContext.of(Config.of(Map.of("kafka.bootstrap.servers", bootstrap)));

    try (SegmenterService service = new SegmenterService(ctx);
         KafkaProducer<String, SpecificRecord> producer = clients.producer("segmenter-it-quiet")) {
      service.start();
      producer.send(new ProducerRecord<>(Topics.JOBS.name(), jobId, spec(jobId))).get();
      long offsetCommitsBefore = brokerRequests("TxnOffsetCommit");
      int bursts = 0;
      for (long from = 0; from <= 2_000_000; from += 200_000) {
        long start = from;
        double transactions = transactions(ctx);
        packets.stream().filter(p -> p.getDtsUs() >= start && p.getDtsUs() < start + 200_000)
            .forEach(p -> sendPacket(producer, jobId, p));
        producer.flush();
        // each burst read and committed before the next comes: a transaction of its own
        await().atMost(Duration.ofSeconds(30)).until(() -> transactions(ctx) > transactions);
        bursts++;
      }
      List<FileChunk> files = readUntil(clients, jobId,
          f -> f.stream().anyMatch(c -> c.getKind() == FileKind.PLAYLIST));

      assertThat(files.stream().filter(f -> f.getKind() == FileKind.SLICE).map(FileChunk::getFileName))
          .containsOnly(jobId + "_room1_" + FileNames.utc(STARTED_UTC_MS) + ".ts");
      assertThat(bursts).isEqualTo(11);
      // The slice's start offset, committed once, then the slice and its playlist with the offset past them.
      assertThat(brokerRequests("TxnOffsetCommit") - offsetCommitsBefore)
          .as("offsets sent to the broker for %d transactions", bursts).isBetween(1L, 2L);
    }
  }

  @Test
  void compositeMp4FilesAreSplitAtTheConfiguredLengthAndDecode(@Bootstrap String bootstrap) throws Exception {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    TopicAdmin.ensure(kafka, Topics.ALL, 3, (short) 1);
    String jobId = "seg-mp4-" + UUID.randomUUID();
    KafkaClients clients = new KafkaClients(kafka);
    List<Packet> packets = TestMedia.encode(10, 2);
    JobSpec spec = spec(jobId);
    spec.getFiles().setAvFileType(List.of("hls", "mp4"));
    int limitSeconds = 5;
    int sliceSeconds = spec.getFiles().getSliceSeconds();

    try (SegmenterService service = new SegmenterService(ServiceContext.of(Config.of(Map.of(
        "kafka.bootstrap.servers", bootstrap, SegmenterSettings.MP4_MAX_SECONDS.name(), "" + limitSeconds))));
         KafkaProducer<String, SpecificRecord> producer = clients.producer("segmenter-it-mp4")) {
      service.start();
      producer.send(new ProducerRecord<>(Topics.JOBS.name(), jobId, spec)).get();
      packets.forEach(p -> sendPacket(producer, jobId, p));
      producer.send(new ProducerRecord<>(Topics.PACKETS.name(), jobId, EncodedPacket.newBuilder().setJobId(jobId)
          .setUid("").setTimestampUs(10_000_000).setBody(EndOfJob.newBuilder().setUtcMs(STARTED_UTC_MS + 10_000)
              .build()).build())).get();
      List<FileChunk> files = readUntilEndOfFiles(clients, jobId);

      Map<String, ByteArrayOutputStream> mp4s = new LinkedHashMap<>();
      for (FileChunk chunk : files) {
        if (chunk.getKind() == FileKind.MP4) {
          ByteArrayOutputStream out = mp4s.computeIfAbsent(chunk.getFileName(), n -> new ByteArrayOutputStream());
          assertThat(chunk.getOffset()).isEqualTo(out.size());
          assertThat(chunk.getData().remaining()).isLessThanOrEqualTo(4 * 1024 * 1024);
          out.write(bytes(chunk));
        }
      }
      // The first file ends at the first keyframe (slice boundary) at or past 5 s: 6 s.
      assertThat(mp4s.keySet()).containsExactly(FileNames.compositeMp4(jobId, "room1", STARTED_UTC_MS, 0),
          FileNames.compositeMp4(jobId, "room1", STARTED_UTC_MS + 6000, 1));
      List<FileChunk> lasts = files.stream().filter(f -> f.getKind() == FileKind.MP4 && f.getLast()).toList();
      assertThat(lasts).hasSize(2);
      assertThat(lasts.get(0).getDurationSeconds()).as("split at the limit, within one slice")
          .isBetween((double) limitSeconds, (double) limitSeconds + sliceSeconds);
      long frames = 0;
      for (Map.Entry<String, ByteArrayOutputStream> mp4 : mp4s.entrySet()) {
        Decoded d = Decoded.of(Files.write(dir.resolve(mp4.getKey()), mp4.getValue().toByteArray()));
        assertThat(d.firstVideoFrameKey()).as(mp4.getKey()).isTrue();
        assertThat(d.audioSamples()).as(mp4.getKey() + " has audio").isPositive();
        assertThat(d.videoSpanUs() / 1e6).as(mp4.getKey() + " length")
            .isCloseTo(mp4.getKey().endsWith("_0.mp4") ? 6.0 : 4.0, within(0.1));
        frames += d.videoFrames();
      }
      assertThat(frames).as("every frame is in one file").isEqualTo(10L * TestMedia.FPS);
      assertThat(files.get(files.size() - 1).getKind()).isEqualTo(FileKind.END_OF_FILES);
    }
  }

  private static double transactions(ServiceContext ctx) {
    Counter counter = ctx.metrics().find("capstan_stage_transactions").tag("stage", "segmenter").counter();
    return counter == null ? 0 : counter.count();
  }

  /** Requests of {@code type} the in-process broker has handled (its RequestsPerSec meters, over JMX). */
  private static long brokerRequests(String type) throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    long count = 0;
    for (ObjectName name : server.queryNames(
        new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,request=" + type + ",*"), null)) {
      count += ((Number) server.getAttribute(name, "Count")).longValue();
    }
    return count;
  }

  private static void sendPacket(KafkaProducer<String, SpecificRecord> producer, String jobId, Packet p) {
    producer.send(new ProducerRecord<>(Topics.PACKETS.name(), jobId,
        EncodedPacket.newBuilder().setJobId(jobId).setUid("").setTimestampUs(p.getDtsUs()).setBody(p).build()));
  }

  static JobSpec spec(String jobId) {
    return JobSpec.newBuilder()
        .setJobId(jobId)
        .setChannel("room1")
        .setMode(RecordingMode.COMPOSITE)
        .setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(2).build())
        .setStartedUtcMs(STARTED_UTC_MS)
        .build();
  }

  private static List<FileChunk> readUntilEndOfFiles(KafkaClients clients, String jobId) {
    return readUntil(clients, jobId,
        files -> !files.isEmpty() && files.get(files.size() - 1).getKind() == FileKind.END_OF_FILES);
  }

  private static List<FileChunk> readUntil(KafkaClients clients, String jobId,
                                           java.util.function.Predicate<List<FileChunk>> done) {
    List<FileChunk> files = new ArrayList<>();
    try (KafkaConsumer<String, FileChunk> consumer = clients.consumer(Topics.FILES, null, "segmenter-it-files")) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.FILES.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        for (ConsumerRecord<String, FileChunk> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key().equals(jobId)) {
            files.add(r.value());
          }
        }
        return done.test(files);
      });
    }
    return files;
  }

  private static List<RecordingEvent> readEvents(KafkaClients clients, String jobId) {
    List<RecordingEvent> events = new ArrayList<>();
    try (KafkaConsumer<String, RecordingEvent> consumer = clients.consumer(Topics.EVENTS, null, "segmenter-it-events")) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<String, RecordingEvent> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key().equals(jobId)) {
            events.add(r.value());
          }
        }
        // Everything written so far is read, so a duplicate would be seen too.
        return events.stream().anyMatch(e -> e.getDetails() instanceof SliceStart)
            && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
      });
    }
    return events;
  }

  private static byte[] bytes(FileChunk chunk) {
    ByteBuffer data = chunk.getData().duplicate();
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    return bytes;
  }

  private static String text(FileChunk chunk) {
    return new String(bytes(chunk), StandardCharsets.UTF_8);
  }

  private static List<String> playlistUris(String playlist) {
    return playlist.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
  }

  private static double extinfSum(String playlist) {
    Matcher m = Pattern.compile("#EXTINF:([0-9.]+),").matcher(playlist);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }
}
