package io.capstan.uploader;

import static io.capstan.uploader.testing.Recordings.details;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.TopicAdmin;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.StorageConfig;
import io.capstan.uploader.delivery.UploadErrors;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreFactory;
import io.capstan.uploader.testing.Recordings;
import io.capstan.storage.testing.S3ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The user's storage mistakes become one clear error event each, early, without their secrets. */
@ExtendWith(KafkaBroker.class)
class StorageErrorsIT {

  private static final String WRONG_SECRET = "wrong-secret-5f2c9a7e1d";

  @TempDir
  Path root;
  private S3ProxyServer s3;
  private KafkaClients clients;
  private UploaderService service;
  private KafkaProducer<String, SpecificRecord> producer;

  @BeforeEach
  void start(@Bootstrap String bootstrap) throws Exception {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    TopicAdmin.ensure(kafka, Topics.ALL, 3, (short) 1);
    clients = new KafkaClients(kafka);
    s3 = S3ProxyServer.start();
    service = new UploaderService(ServiceContext.of(Config.of(Map.of("kafka.bootstrap.servers", bootstrap,
        "uploader.local.root", root.toString(), "addresses.allow.private", "true", "uploader.retry.initial", "200ms", "uploader.retry.max", "1s"))));
    service.start();
    producer = clients.producer("storage-errors-it");
  }

  @AfterEach
  void stop() throws Exception {
    producer.close();
    service.close();
    s3.close();
  }

  @Test
  void aWrongSecretIsOneErrorNamingTheBucketAndTheCauseWithoutTheSecret() throws Exception {
    String jobId = "err" + UUID.randomUUID().toString().substring(0, 8);
    String bucket = s3.newBucket();
    StorageConfig storage = StorageConfig.newBuilder().setVendor(1).setRegion("0").setBucket(bucket)
        .setAccessKey(S3ProxyServer.ACCESS_KEY).setSecretKey(WRONG_SECRET).setEndpoint(s3.endpoint()).build();
    Recordings.sendSpec(producer, Recordings.spec(jobId, storage));
    for (int i = 0; i < 3; i++) {
      Recordings.sendFile(producer, jobId, Recordings.sliceName(jobId, i), FileKind.SLICE,
          Recordings.random(1000, i));
    }
    Recordings.sendEnd(producer, jobId);

    List<RecordingEvent> events = Recordings.awaitEvents(clients, jobId, details(SessionExit.class),
        Duration.ofSeconds(60));
    assertThat(events).extracting(e -> e.getDetails().getClass().getSimpleName())
        .containsExactly("RecordingError", "SessionExit");
    RecordingError error = (RecordingError) events.get(0).getDetails();
    assertThat(error.getErrorCode()).isEqualTo(UploadErrors.STORAGE);
    assertThat(error.getErrorMsg()).isEqualTo("storage: access denied for bucket " + bucket
        + " (check accessKey/secretKey and the bucket policy)");
    assertThat(events.get(0).toString()).doesNotContain(WRONG_SECRET);
    try (ObjectStore rightKeys = new StoreFactory(root).open(StorageConfig.newBuilder(storage)
        .setSecretKey(S3ProxyServer.SECRET_KEY).build())) {
      assertThat(rightKeys.list("")).isEmpty();
    }
  }

  @Test
  void aBadFileNamePrefixIsReportedWhenTheJobStartsBeforeAnyFile() throws Exception {
    String jobId = "pre" + UUID.randomUUID().toString().substring(0, 8);
    StorageConfig storage = StorageConfig.newBuilder().setVendor(1).setRegion("0").setBucket(s3.newBucket())
        .setAccessKey(S3ProxyServer.ACCESS_KEY).setSecretKey(S3ProxyServer.SECRET_KEY).setEndpoint(s3.endpoint())
        .setFileNamePrefix(List.of("ok", "..")).build();
    Recordings.sendSpec(producer, Recordings.spec(jobId, storage)); // no file at all

    List<RecordingEvent> events = Recordings.awaitEvents(clients, jobId, details(RecordingError.class),
        Duration.ofSeconds(30));
    RecordingError error = (RecordingError) events.get(0).getDetails();
    assertThat(error.getErrorCode()).isEqualTo(UploadErrors.PATH);
    assertThat(error.getErrorMsg()).contains("fileNamePrefix[1] must be letters and digits only");
    assertThat(events.get(0).toString()).doesNotContain(S3ProxyServer.SECRET_KEY);
  }

  @Test
  void aRegionCodeAVendorDoesNotHaveIsReportedWhenTheJobStarts() throws Exception {
    String jobId = "reg" + UUID.randomUUID().toString().substring(0, 8);
    // Alibaba's table has codes 0 to 25 (3 is oss-cn-beijing); 26 is one the README names as refused.
    StorageConfig storage = StorageConfig.newBuilder().setVendor(2).setRegion("26").setBucket("b")
        .setAccessKey("AK").setSecretKey("SK-secret-value").build();
    Recordings.sendSpec(producer, Recordings.spec(jobId, storage));

    List<RecordingEvent> events = Recordings.awaitEvents(clients, jobId, details(RecordingError.class),
        Duration.ofSeconds(30));
    RecordingError error = (RecordingError) events.get(0).getDetails();
    assertThat(error.getErrorCode()).isEqualTo(UploadErrors.STORAGE);
    assertThat(error.getErrorMsg()).contains("region code 26", "give the region's name (e.g. \"oss-cn-hangzhou\")");
  }
}
