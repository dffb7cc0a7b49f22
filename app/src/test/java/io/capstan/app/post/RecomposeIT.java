package io.capstan.app.post;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.app.follow.EventFollower;
import io.capstan.app.wiring.Deployment;
import io.capstan.app.wiring.ServiceCatalog;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.PostProcessing;
import io.capstan.schemas.PostProcessingKind;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.Source;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.Uploaded;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-composition: a finished two-uid individual recording composed again in best-fit layout gives the
 * pictures and tones a composite of the same sources recorded live gives.
 */
class RecomposeIT {

  static final Transcoding CANVAS = Transcoding.newBuilder().setWidth(640).setHeight(360).setFps(15)
      .setBitrateKbps(800).setLayout(Layout.newBuilder().setMixedVideoLayout(1).build()).build();

  @Test
  void aStoredIndividualRecordingComposesLikeTheLiveComposite(@TempDir Path storage) throws Exception {
    String individual = sid();
    String live = sid();
    String recomposed = sid();
    List<Source> sources = List.of(source("31", "red", 300), source("32", "blue", 700));
    try (Deployment deployment = Deployment.start(Config.of(Map.of(Config.BOOTSTRAP.name(), KafkaBroker.bootstrap(),
        "uploader.local.root", storage.toString(), "notifier.state.dir", storage.resolve(".state").toString(),
        // The test's own media files and local streams, as an operator would allow them.
        "gateway.sources.files", "true", "addresses.allow.private", "true")),
        ServiceCatalog.all(), 0);
         KafkaProducer<String, SpecificRecord> producer = deployment.context().kafka().producer("test")) {
      run(deployment, producer, base(individual, "solo", RecordingMode.INDIVIDUAL).setSources(sources)
          .setStorage(StorageConfig.newBuilder().setVendor(99).setBucket("ind").build()).build());
      run(deployment, producer, base(live, "room", RecordingMode.COMPOSITE).setSources(sources)
          .setTranscoding(CANVAS).setStorage(StorageConfig.newBuilder().setVendor(99).setBucket("live").build()).build());
      Uploaded files = run(deployment, producer, base(recomposed, "again", RecordingMode.COMPOSITE)
          .setTranscoding(CANVAS).setStorage(StorageConfig.newBuilder().setVendor(99).setBucket("re").build())
          .setPostProcessing(PostProcessing.newBuilder().setKind(PostProcessingKind.RECOMPOSE)
              .setSourceJobId(individual).setSourceChannel("")
              .setSourceStorage(StorageConfig.newBuilder().setVendor(99).setBucket("ind").build()).build())
          .build());
      assertThat(files.getFileList()).extracting(f -> f.getFileName()).contains(recomposed + "_again.m3u8");
    }
    DecodedMedia a = DecodedMedia.of(storage.resolve("live").resolve(live + "_room.m3u8"));
    DecodedMedia b = DecodedMedia.of(storage.resolve("re").resolve(recomposed + "_again.m3u8"));
    assertThat(b.width).isEqualTo(640);
    assertThat(b.height).isEqualTo(360);
    assertThat(b.durationSeconds).isCloseTo(a.durationSeconds, Offset.offset(0.3));
    for (double t = 0.5; t < 3.5; t += 0.5) {
      DecodedMedia.Picture pa = a.pictures(t, t + 0.1).get(0);
      DecodedMedia.Picture pb = b.pictures(t, t + 0.1).get(0);
      Set<String> liveColours = Set.of(DecodedMedia.Picture.colour(pa.left()), DecodedMedia.Picture.colour(pa.right()));
      Set<String> reColours = Set.of(DecodedMedia.Picture.colour(pb.left()), DecodedMedia.Picture.colour(pb.right()));
      assertThat(liveColours).as("live at " + t + " s").containsExactlyInAnyOrder("red", "blue");
      assertThat(reColours).as("recomposed at " + t + " s").isEqualTo(liveColours);
    }
    for (int hz : new int[] {300, 700}) {
      double liveTone = a.tone(hz, 0.5, 3.5);
      double reTone = b.tone(hz, 0.5, 3.5);
      assertThat(liveTone).as("live " + hz + " Hz").isGreaterThan(0.3);
      assertThat(reTone).as("recomposed " + hz + " Hz").isCloseTo(liveTone, Offset.offset(0.1));
    }
    assertThat(b.rms(0.5, 3.5)).isCloseTo(a.rms(0.5, 3.5), Offset.offset(0.01));
  }

  /** Starts a job and waits for its Uploaded and session exit. */
  private static Uploaded run(Deployment deployment, KafkaProducer<String, SpecificRecord> producer, JobSpec spec)
      throws Exception {
    List<Object> events = new ArrayList<>();
    try (io.capstan.app.follow.EventFollower follower = new EventFollower(deployment.context().kafka())) {
      producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), spec.getJobId(), RecordingCommand.newBuilder()
          .setJobId(spec.getJobId()).setCommandId(UUID.randomUUID().toString()).setIssuedUtcMs(System.currentTimeMillis())
          .setAction(StartCommand.newBuilder().setSpec(spec).build()).build())).get(10, TimeUnit.SECONDS);
      boolean ended = follower.follow(spec.getJobId(), Duration.ofMinutes(2), e -> {
        events.add(e.getDetails());
        return e.getDetails() instanceof SessionExit;
      }, () -> { });
      assertThat(ended).as(spec.getJobId() + " session_exit; events so far: " + events).isTrue();
    }
    return events.stream().filter(Uploaded.class::isInstance).map(Uploaded.class::cast).findFirst()
        .orElseThrow(() -> new AssertionError("no uploaded event: " + events));
  }

  private static JobSpec.Builder base(String sid, String cname, RecordingMode mode) {
    return JobSpec.newBuilder().setJobId(sid).setChannel(cname).setMode(mode).setPacing(Pacing.FAST)
        .setSubscriptions(Subscriptions.newBuilder().build()).setDecryption(Decryption.newBuilder().build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(2).build()).setStartedUtcMs(0);
  }

  private static String sid() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private static Source source(String uid, String colour, int tone) {
    return Source.newBuilder().setUid(uid).setUrl("lavfi:color=c=" + colour + ":size=320x240:rate=15:duration=4[out0];"
        + "sine=frequency=" + tone + ":sample_rate=48000:duration=4[out1]").build();
  }
}
