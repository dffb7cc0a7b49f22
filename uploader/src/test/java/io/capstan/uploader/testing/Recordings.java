package io.capstan.uploader.testing;

import static org.awaitility.Awaitility.await;

import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileChunk;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.UploadingProgress;
import io.capstan.uploader.UploaderService;
import io.capstan.uploader.delivery.UploadProgress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/** What the segmenter sends the uploader, made up by the tests: job specs, slices in chunks, playlists. */
public final class Recordings {

  public static final long T0 = 1_795_000_000_000L;
  /** The segmenter's chunk size (PIPELINE.md). */
  public static final int CHUNK = 4 << 20;

  private Recordings() {
  }

  public static JobSpec spec(String jobId, StorageConfig storage) {
    return JobSpec.newBuilder().setJobId(jobId).setChannel("room").setMode(RecordingMode.COMPOSITE)
        .setSubscriptions(Subscriptions.newBuilder().build()).setDecryption(Decryption.newBuilder().build())
        .setFiles(FileConfig.newBuilder().build()).setStorage(storage).setStartedUtcMs(T0).build();
  }

  public static String sliceName(String jobId, int index) {
    return jobId + "_room_202611180143" + "%02d".formatted(index * 10 % 60) + "%03d".formatted(index) + ".ts";
  }

  public static String playlistName(String jobId) {
    return jobId + "_room.m3u8";
  }

  public static byte[] playlist(List<String> slices, boolean ended) {
    StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n");
    for (String slice : slices) {
      text.append("#EXTINF:10.000,\n").append(slice).append('\n');
    }
    if (ended) {
      text.append("#EXT-X-ENDLIST\n");
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Sends a whole file as the segmenter does (4 MiB chunks); returns the metadata of its first chunk. */
  public static RecordMetadata sendFile(KafkaProducer<String, SpecificRecord> producer, String jobId, String name,
                                        FileKind kind, byte[] data) throws Exception {
    RecordMetadata first = null;
    int offset = 0;
    do {
      int end = Math.min(data.length, offset + CHUNK);
      FileChunk chunk = FileChunk.newBuilder().setJobId(jobId).setFileName(name).setKind(kind).setOffset(offset)
          .setLast(end == data.length).setData(ByteBuffer.wrap(Arrays.copyOfRange(data, offset, end))).setUid("")
          .setTrackType("audio_and_video").setStartUtcMs(T0).setDurationSeconds(10).build();
      RecordMetadata sent = producer.send(new ProducerRecord<>(Topics.FILES.name(), jobId, chunk)).get();
      first = first == null ? sent : first;
      offset = end;
    } while (offset < data.length);
    return first;
  }

  /** Sends slice {@code i} and then the playlist naming it, noting both as expected; returns the slice's first chunk. */
  public static RecordMetadata sendSlice(KafkaProducer<String, SpecificRecord> producer, String jobId, int i,
                                         byte[] data, List<String> slices, Map<String, byte[]> expected)
      throws Exception {
    String name = sliceName(jobId, i);
    RecordMetadata first = sendFile(producer, jobId, name, FileKind.SLICE, data);
    expected.put(name, data);
    slices.add(name);
    sendPlaylist(producer, jobId, slices, expected);
    return first;
  }

  /** Sends the job's playlist naming {@code slices} (not ended), noting it as expected. */
  public static void sendPlaylist(KafkaProducer<String, SpecificRecord> producer, String jobId, List<String> slices,
                                  Map<String, byte[]> expected) throws Exception {
    byte[] playlist = playlist(slices, false);
    sendFile(producer, jobId, playlistName(jobId), FileKind.PLAYLIST, playlist);
    expected.put(playlistName(jobId), playlist);
  }

  /** The uploader group's committed offset of {@code partition} (0 when none). */
  public static long committed(Admin admin, TopicPartition partition) throws Exception {
    OffsetAndMetadata offset = admin.listConsumerGroupOffsets(UploaderService.GROUP).partitionsToOffsetAndMetadata().get()
        .get(partition);
    return offset == null ? 0 : offset.offset();
  }

  public static RecordMetadata sendEnd(KafkaProducer<String, SpecificRecord> producer, String jobId) throws Exception {
    return producer.send(new ProducerRecord<>(Topics.FILES.name(), jobId, FileChunk.newBuilder().setJobId(jobId)
        .setFileName("").setKind(FileKind.END_OF_FILES).setData(ByteBuffer.allocate(0)).build())).get();
  }

  public static void sendSpec(KafkaProducer<String, SpecificRecord> producer, JobSpec spec) throws Exception {
    producer.send(new ProducerRecord<>(Topics.JOBS.name(), spec.getJobId(), spec)).get();
  }

  public static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** The job's events from the start of capstan.events until one matches {@code last}. */
  public static List<RecordingEvent> awaitEvents(KafkaClients clients, String jobId, Predicate<RecordingEvent> last,
                                                 Duration timeout) {
    List<RecordingEvent> events = new ArrayList<>();
    try (KafkaConsumer<String, RecordingEvent> consumer = clients.consumer(Topics.EVENTS, null,
        "uploader-it-events-" + jobId)) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await().atMost(timeout).until(() -> {
        for (ConsumerRecord<String, RecordingEvent> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key().equals(jobId)) {
            events.add(r.value());
          }
        }
        return events.stream().anyMatch(last);
      });
    }
    return events;
  }

  public static Predicate<RecordingEvent> details(Class<?> type) {
    return e -> type.isInstance(e.getDetails());
  }

  /** The job's events without the periodic uploading_progress ones, whose count depends on the clock. */
  public static List<RecordingEvent> withoutPeriodicProgress(List<RecordingEvent> events) {
    return events.stream().filter(e -> !(e.getDetails() instanceof UploadingProgress p
        && p.getProgress() < UploadProgress.ALL)).toList();
  }
}
