package io.capstan.app;

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
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.Source;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Uploaded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Individual mode through every service: one audio and one video playlist per uid, named as the reference says. */
class IndividualRecordingIT {

  @Test
  void eachUidGetsItsOwnAudioAndVideoFiles(@TempDir Path storage) throws Exception {
    String sid = UUID.randomUUID().toString().replace("-", "");
    // uid 32 is an H.264/AAC file: ingest passes its packets through untouched; uid 31 is decoded and transcoded.
    Path file = storage.resolve("blue.mp4");
    Process ffmpeg = new ProcessBuilder(io.capstan.runtime.media.Natives.ffmpegExecutable(), "-v", "error", "-f", "lavfi",
        "-i", "color=c=blue:size=320x240:rate=15:duration=4", "-f", "lavfi", "-i", "sine=frequency=700:sample_rate=48000:duration=4",
        "-c:v", "libx264", "-g", "15", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", file.toString())
        .redirectErrorStream(true).start();
    assertThat(ffmpeg.waitFor()).isZero();
    JobSpec spec = JobSpec.newBuilder().setJobId(sid).setChannel("solo").setMode(RecordingMode.INDIVIDUAL)
        .setPacing(Pacing.FAST)
        .setSources(List.of(source("31", "red", 300),
            Source.newBuilder().setUid("32").setUrl(file.toString()).build()))
        .setSubscriptions(Subscriptions.newBuilder().build()).setDecryption(Decryption.newBuilder().build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(2).build())
        .setStorage(StorageConfig.newBuilder().setVendor(99).setBucket("ind").build())
        .setStartedUtcMs(0).build();
    List<Object> events = new ArrayList<>();
    try (Deployment deployment = Deployment.start(Config.of(Map.of(Config.BOOTSTRAP.name(), KafkaBroker.bootstrap(),
        "uploader.local.root", storage.toString(), "notifier.state.dir", storage.resolve(".state").toString(),
        // The test's own media files and local streams, as an operator would allow them.
        "gateway.sources.files", "true", "addresses.allow.private", "true")),
        ServiceCatalog.all(), 0);
         EventFollower follower = new EventFollower(deployment.context().kafka());
         KafkaProducer<String, SpecificRecord> producer = deployment.context().kafka().producer("test")) {
      producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), sid, RecordingCommand.newBuilder().setJobId(sid)
          .setCommandId("c1").setIssuedUtcMs(System.currentTimeMillis())
          .setAction(StartCommand.newBuilder().setSpec(spec).build()).build())).get(10, TimeUnit.SECONDS);
      boolean ended = follower.follow(sid, Duration.ofMinutes(2), e -> {
        events.add(e.getDetails());
        return e.getDetails() instanceof SessionExit;
      }, () -> { });
      assertThat(ended).as("session_exit; events so far: " + events).isTrue();
    }

    Uploaded uploaded = events.stream().filter(Uploaded.class::isInstance).map(Uploaded.class::cast).findFirst()
        .orElseThrow();
    Path dir = storage.resolve("ind");
    for (String uid : List.of("31", "32")) {
      for (String type : List.of("audio", "video")) {
        String name = sid + "_solo__uid_s_" + uid + "__uid_e_" + type + ".m3u8";
        assertThat(uploaded.getFileList()).anySatisfy(f -> {
          assertThat(f.getFileName()).isEqualTo(name);
          assertThat(f.getUid()).isEqualTo(uid);
          assertThat(f.getTrackType()).isEqualTo(type);
          assertThat(f.getMixedAllUser()).isFalse();
        });
        Path playlist = dir.resolve(name);
        assertThat(Files.readString(playlist)).contains("#EXT-X-ENDLIST");
        List<String[]> entries = HlsProbe.entries(playlist);
        assertThat(entries).hasSizeGreaterThanOrEqualTo(2);
        assertThat(entries.get(0)[0]).matches(sid + "_solo__uid_s_" + uid + "__uid_e_" + type + "_\\d{17}\\.ts");
        double seconds = entries.stream().mapToDouble(e -> Double.parseDouble(e[1])).sum();
        assertThat(seconds).as(name + " lasts as long as its source").isBetween(3.5, 4.5);
        HlsProbe.Slice first = HlsProbe.decode(dir.resolve(entries.get(0)[0]), 0);
        if (type.equals("video")) {
          assertThat(first.videoFrames()).isPositive();
          assertThat(first.audioSamples()).isZero();
          assertThat(first.width()).isEqualTo(320);
        } else {
          assertThat(first.audioSamples()).isPositive();
          assertThat(first.videoFrames()).isZero();
        }
      }
    }
  }

  private static Source source(String uid, String colour, int tone) {
    return Source.newBuilder().setUid(uid).setUrl("lavfi:color=c=" + colour + ":size=320x240:rate=15:duration=4[out0];"
        + "sine=frequency=" + tone + ":sample_rate=48000:duration=4[out1]").build();
  }
}
