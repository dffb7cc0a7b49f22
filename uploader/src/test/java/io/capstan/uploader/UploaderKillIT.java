package io.capstan.uploader;

import static io.capstan.uploader.testing.Recordings.details;
import static io.capstan.uploader.testing.Recordings.sendSlice;
import static io.capstan.uploader.testing.Recordings.sendPlaylist;
import static io.capstan.uploader.testing.Recordings.committed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.TopicAdmin;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.FileChunk;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Uploaded;
import io.capstan.schemas.UploaderStarted;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreFactory;
import io.capstan.storage.StoreSettings;
import io.capstan.storage.testing.S3ProxyServer;
import io.capstan.uploader.testing.Recordings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * The uploader is killed (SIGKILL of its JVM) in the middle of a recording, while a large slice is
 * half way through a multipart upload, and another instance takes its place. Nothing may be lost:
 * every slice and the final playlist end up in the bucket byte-identical, with no extra or partial
 * object; what the replacement does twice (the file that was open, the uploader_started event) must
 * be harmless: the same bytes under the same key, events identical in content.
 *
 * <p>The kill lands mid-upload deterministically: the test sends only the first chunks of the large
 * slice, waits until the killed instance has stored its first objects and has parts of the large
 * slice in an open multipart upload (read from the S3 server itself), then sends one more chunk and
 * kills at once, so that chunk may be anywhere between the broker and the store. The rest of the
 * slice and further files are sent only after the kill.
 *
 * <p>The replacement gets the dead instance's partitions only when its group session expires
 * ({@code uploader.group.session.timeout}, 10 s by default); this test sets the broker's minimum,
 * {@value #SESSION_TIMEOUT_MS} ms, to keep the build short. The time from the kill to the first
 * file the replacement stores is printed.
 */
@ExtendWith(KafkaBroker.class)
class UploaderKillIT {

  static final int SESSION_TIMEOUT_MS = 6_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final long THRESHOLD = 6 << 20;
  private static final int PART = 5 << 20;
  private static final List<String> PREFIX = List.of("rec", "kill");
  private static final String DIR = "rec/kill/";

  @TempDir
  Path dir;

  @Test
  void aKilledUploadersReplacementLosesNothingAndItsDuplicatesAreHarmless(@Bootstrap String bootstrap)
      throws Exception {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    TopicAdmin.ensure(kafka, Topics.ALL, 3, (short) 1);
    KafkaClients clients = new KafkaClients(kafka);
    String jobId = "kill" + UUID.randomUUID().toString().substring(0, 8);
    Instance first = null;
    Instance second = null;
    try (S3ProxyServer s3 = S3ProxyServer.start();
         KafkaProducer<String, SpecificRecord> producer = clients.producer("uploader-kill-it");
         Admin admin = Admin.create(kafka)) {
      String bucket = s3.newBucket();
      StorageConfig storage = StorageConfig.newBuilder().setVendor(1).setRegion("0").setBucket(bucket)
          .setAccessKey(S3ProxyServer.ACCESS_KEY).setSecretKey(S3ProxyServer.SECRET_KEY)
          .setEndpoint(s3.endpoint()).setFileNamePrefix(PREFIX).build();
      Recordings.sendSpec(producer, Recordings.spec(jobId, storage));
      try (ObjectStore bucketView = new StoreFactory(new StoreSettings(dir.resolve("view"), THRESHOLD, PART))
               .open(storage);
           S3Client s3Api = s3Api(s3)) {
        first = Instance.start(bootstrap, dir, "a");
        first.awaitReady();

        Map<String, byte[]> expected = new LinkedHashMap<>();
        List<String> slices = new ArrayList<>();
        String playlist = Recordings.playlistName(jobId);
        // Slice 0 (one PUT) and its playlist; then slice 1 (21 MiB: six 4 MiB chunks, five 5 MiB
        // parts) of which only the first three chunks are sent: its multipart upload stays open.
        RecordMetadata firstChunk = sendSlice(producer, jobId, 0, Recordings.random(300_000, 0), slices, expected);
        TopicPartition partition = new TopicPartition(Topics.FILES.name(), firstChunk.partition());
        String large = Recordings.sliceName(jobId, 1);
        byte[] largeData = Recordings.random(5 * Recordings.CHUNK + 1234, 1);
        RecordMetadata largeStart = sendChunks(producer, jobId, large, FileKind.SLICE, largeData, 0, 3);
        expected.put(large, largeData);

        Instance a = first;
        await("uploader A stores slice 0 and its playlist and has two parts of slice 1 in S3").atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(50)).until(() -> a.alive()
                && bucketView.list(DIR).size() == 2 && partsUploaded(s3Api, bucket, DIR + large) >= 2);
        // A commits no further than the first chunk of the file it has open.
        await("A's committed offset stops at slice 1's first chunk").atMost(TIMEOUT)
            .until(() -> committed(admin, partition) == largeStart.offset());

        // One more chunk, and the kill follows at once: it lands while that chunk is being delivered.
        sendChunks(producer, jobId, large, FileKind.SLICE, largeData, 3, 4);
        long killedAt = System.nanoTime();
        assertThat(first.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS)).isTrue();

        List<String> atKill = bucketView.list(DIR);
        assertThat(atKill).as("the bucket when A was killed").containsExactlyInAnyOrder(
            DIR + Recordings.sliceName(jobId, 0), DIR + playlist);
        assertThat(bucketView.get(DIR + playlist)).isEqualTo(Recordings.playlist(slices, false));
        Set<String> uploadsAtKill = uploadIds(s3Api, bucket);
        assertThat(uploadsAtKill).as("A's open multipart upload of slice 1").isNotEmpty();
        assertThat(committed(admin, partition)).isEqualTo(largeStart.offset());

        // The segmenter goes on while no uploader runs: the rest of slice 1, a large and a small slice.
        sendChunks(producer, jobId, large, FileKind.SLICE, largeData, 4, 6);
        slices.add(large);
        sendPlaylist(producer, jobId, slices, expected);
        sendSlice(producer, jobId, 2, Recordings.random(3 * Recordings.CHUNK + 77, 2), slices, expected);
        sendSlice(producer, jobId, 3, Recordings.random(200_000, 3), slices, expected);

        second = Instance.start(bootstrap, dir, "b");
        long secondStartedAt = System.nanoTime();
        Instance b = second;
        await("uploader B stores slice 1, the file A had open").atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
            .until(() -> b.alive() && bucketView.list(DIR).contains(DIR + large));
        long resumed = System.nanoTime();
        System.out.printf("uploader kill: B stored the first file it owed %d ms after A's SIGKILL (%d ms after B's "
                + "JVM was started; session timeout %d ms)%n", TimeUnit.NANOSECONDS.toMillis(resumed - killedAt),
            TimeUnit.NANOSECONDS.toMillis(resumed - secondStartedAt), SESSION_TIMEOUT_MS);

        byte[] finalPlaylist = Recordings.playlist(slices, true);
        Recordings.sendFile(producer, jobId, playlist, FileKind.PLAYLIST, finalPlaylist);
        expected.put(playlist, finalPlaylist);
        RecordMetadata end = Recordings.sendEnd(producer, jobId);

        List<RecordingEvent> events = Recordings.awaitEvents(clients, jobId, details(Uploaded.class), TIMEOUT);
        for (Map.Entry<String, byte[]> file : expected.entrySet()) {
          assertThat(bucketView.get(DIR + file.getKey())).as(file.getKey()).isEqualTo(file.getValue());
        }
        assertThat(bucketView.list(DIR)).as("no extra or partial objects").containsExactlyInAnyOrderElementsOf(
            expected.keySet().stream().map(n -> DIR + n).toList());
        Uploaded uploaded = (Uploaded) events.stream().filter(details(Uploaded.class)).findFirst().orElseThrow()
            .getDetails();
        assertThat(uploaded.getFileList()).extracting(f -> f.getFileName()).containsExactly(playlist);
        assertThat(events).noneMatch(details(RecordingError.class));
        List<RecordingEvent> started = events.stream().filter(details(UploaderStarted.class)).toList();
        assertThat(started).isNotEmpty();
        assertThat(contents(started)).as("uploader_started events, if repeated, say the same").hasSize(1);
        assertThat(contents(events.stream().filter(details(Uploaded.class)).toList())).hasSize(1);
        System.out.printf("uploader kill: %d uploader_started event(s), %d uploaded event(s) for the job%n",
            started.size(), events.stream().filter(details(Uploaded.class)).count());

        await("the files partition is committed past the end marker").atMost(Duration.ofSeconds(15))
            .until(() -> committed(admin, partition) == end.offset() + 1);
        // B completed every upload it began; what is left is what A began (S3 keeps it until a
        // lifecycle rule removes it: nobody knows its upload id any more).
        Set<String> left = uploadIds(s3Api, bucket);
        assertThat(uploadsAtKill).containsAll(left);
        System.out.printf("uploader kill: %d multipart upload(s) left open in the bucket by the killed instance%n",
            left.size());
      }
    } catch (Throwable t) {
      throw new AssertionError(t.getMessage() + logs(first) + logs(second), t);
    } finally {
      if (second != null) {
        second.stop();
      }
      if (first != null) {
        first.process.destroyForcibly();
      }
    }
  }



  /**
   * Sends chunks {@code from} (inclusive) to {@code to} (exclusive) of a file, as
   * {@link Recordings#sendFile} sends them all; returns the metadata of the first one sent.
   */
  private static RecordMetadata sendChunks(KafkaProducer<String, SpecificRecord> producer, String jobId, String name,
                                           FileKind kind, byte[] data, int from, int to) throws Exception {
    RecordMetadata first = null;
    for (int i = from; i < to; i++) {
      int offset = i * Recordings.CHUNK;
      int end = Math.min(data.length, offset + Recordings.CHUNK);
      FileChunk chunk = FileChunk.newBuilder().setJobId(jobId).setFileName(name).setKind(kind).setOffset(offset)
          .setLast(end == data.length).setData(ByteBuffer.wrap(Arrays.copyOfRange(data, offset, end))).setUid("")
          .setTrackType("audio_and_video").setStartUtcMs(Recordings.T0).setDurationSeconds(10).build();
      RecordMetadata sent = producer.send(new ProducerRecord<>(Topics.FILES.name(), jobId, chunk)).get();
      first = first == null ? sent : first;
    }
    return first;
  }

  /** What an event says, without its id and time (which every sending gives anew). */
  private static Set<List<Object>> contents(List<RecordingEvent> events) {
    return events.stream().map(e -> List.<Object>of(e.getJobId(), e.getChannel(), e.getRecorderUid(), e.getDetails()))
        .collect(Collectors.toSet());
  }

  /** The S3 API of the test server itself, for what ObjectStore does not show: open multipart uploads. */
  private static S3Client s3Api(S3ProxyServer s3) {
    return S3Client.builder().region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
        .endpointOverride(URI.create(s3.endpoint())).forcePathStyle(true)
        .httpClientBuilder(ApacheHttpClient.builder())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  private static List<MultipartUpload> uploads(S3Client s3Api, String bucket) {
    return s3Api.listMultipartUploads(b -> b.bucket(bucket)).uploads();
  }

  private static Set<String> uploadIds(S3Client s3Api, String bucket) {
    return uploads(s3Api, bucket).stream().map(MultipartUpload::uploadId).collect(Collectors.toCollection(HashSet::new));
  }

  /** Parts stored so far in the open multipart uploads of {@code key}. */
  private static int partsUploaded(S3Client s3Api, String bucket, String key) {
    int parts = 0;
    for (MultipartUpload upload : uploads(s3Api, bucket)) {
      if (upload.key().equals(key)) {
        parts += s3Api.listParts(b -> b.bucket(bucket).key(key).uploadId(upload.uploadId())).parts().size();
      }
    }
    return parts;
  }


  private static String logs(Instance instance) {
    return instance == null ? "" : "\n--- uploader " + instance.name + " (" + instance.log + "), last lines:\n"
        + instance.tail(60);
  }

  /** An uploader in its own JVM (UploaderMain), so that it can really be killed. */
  private record Instance(String name, Process process, Path log, int port) {

    static Instance start(String bootstrap, Path dir, String name) throws IOException {
      String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Path log = dir.resolve("uploader-" + name + ".log");
      int port = freePort();
      Process process = new ProcessBuilder(java, "-Xmx320m", "-XX:+UseSerialGC", "-cp", classpath,
          UploaderMain.class.getName(),
          "--set", "kafka.bootstrap.servers=" + bootstrap,
          "--set", "uploader.group.session.timeout=" + SESSION_TIMEOUT_MS + "ms",
          "--set", "topics.create=false",
          "--set", "addresses.allow.private=true",
          "--set", "uploader.http.port=" + port,
          "--set", "uploader.local.root=" + dir.resolve("local-" + name),
          "--set", "uploader.retry.initial=200ms",
          "--set", "uploader.retry.max=2s",
          "--set", "uploader.multipart.threshold=" + THRESHOLD,
          "--set", "uploader.multipart.part.size=" + PART)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new Instance(name, process, log, port);
    }

    boolean alive() {
      if (!process.isAlive()) {
        throw new AssertionError("uploader " + name + " exited with status " + process.exitValue());
      }
      return true;
    }

    /** Until its /ready answers 200: it polls capstan.files. */
    void awaitReady() {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
          .timeout(Duration.ofSeconds(2)).build();
      await("uploader " + name + " ready").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(() -> alive() && http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** SIGTERM: it leaves the group, so the next test's uploader does not wait for its session. */
    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }

    String tail(int lines) {
      try {
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
      } catch (IOException e) {
        return "(cannot read the log: " + e.getMessage() + ")";
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }
  }
}
