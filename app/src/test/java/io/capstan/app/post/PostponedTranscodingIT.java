package io.capstan.app.post;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.app.follow.EventFollower;
import io.capstan.app.wiring.Deployment;
import io.capstan.app.wiring.ServiceCatalog;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.PostProcessingRequest;
import io.capstan.schemas.PostponeTranscodeFinalResult;
import io.capstan.schemas.RecorderLeave;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StopCommand;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.StreamAnnouncement;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.TranscoderCompleted;
import io.capstan.schemas.TranscoderStarted;
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

/**
 * Postponed transcoding through every service on the real broker: a live individual recording of
 * two uids from the channel directory, uid 2 leaving and coming back, becomes one MP4 per uid, as
 * long as the session, uid 2's black and silent while it was away.
 */
class PostponedTranscodingIT {

  @Test
  void eachUidBecomesOneMp4WithTheSessionsTimeline(@TempDir Path storage) throws Exception {
    String sid = UUID.randomUUID().toString().replace("-", "");
    String cname = "pp" + sid.substring(0, 6);
    JobSpec spec = JobSpec.newBuilder().setJobId(sid).setChannel(cname).setMode(RecordingMode.INDIVIDUAL)
        .setSubscriptions(Subscriptions.newBuilder().build()).setDecryption(Decryption.newBuilder().build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(2).build())
        .setStorage(StorageConfig.newBuilder().setVendor(99).setBucket("pp").build())
        .setAfterRecording(PostProcessingRequest.newBuilder().setTransMode("postponeTranscoding").build())
        .setStartedUtcMs(0).build();
    List<Object> events = new ArrayList<>();
    long[] leftAt = new long[1];
    long[] backAt = new long[1];
    long[] leaveUtc = new long[1];
    try (Deployment deployment = Deployment.start(Config.of(Map.of(Config.BOOTSTRAP.name(), KafkaBroker.bootstrap(),
        "uploader.local.root", storage.toString(), "notifier.state.dir", storage.resolve(".state").toString(),
        // The test's own media files and local streams, as an operator would allow them.
        "gateway.sources.files", "true", "addresses.allow.private", "true")),
        ServiceCatalog.all(), 0);
         EventFollower follower = new EventFollower(deployment.context().kafka());
         KafkaProducer<String, SpecificRecord> producer = deployment.context().kafka().producer("test");
         TopicView<JobSpec> jobs = new TopicView<>(deployment.context().kafka(), Topics.JOBS, "test-jobs")) {
      jobs.start();
      announce(producer, cname, "1", "red", 400);
      announce(producer, cname, "2", "blue", 800);
      command(producer, sid, StartCommand.newBuilder().setSpec(spec).build());
      long t0 = System.currentTimeMillis();
      int[] step = {0};
      boolean done = follower.follow(sid, Duration.ofMinutes(4), e -> {
        events.add(e.getDetails());
        if (e.getDetails() instanceof RecorderLeave) {
          leaveUtc[0] = e.getUtcMs();
        }
        return e.getDetails() instanceof PostponeTranscodeFinalResult;
      }, () -> {
        long now = System.currentTimeMillis() - t0;
        try {
          if (step[0] == 0 && now >= 4_000) {
            producer.send(new ProducerRecord<>(Topics.CHANNELS.name(), cname + "/2", null)).get();
            leftAt[0] = System.currentTimeMillis();
            step[0]++;
          } else if (step[0] == 1 && now >= 8_000) {
            announce(producer, cname, "2", "blue", 800);
            backAt[0] = System.currentTimeMillis();
            step[0]++;
          } else if (step[0] == 2 && now >= 12_000) {
            command(producer, sid, new StopCommand(false));
            step[0]++;
          }
        } catch (Exception ex) {
          throw new IllegalStateException(ex);
        }
      });
      assertThat(done).as("postpone_transcode_final_result; events so far: " + events).isTrue();
      long started = jobs.get(sid).orElseThrow().getStartedUtcMs();
      double session = (leaveUtc[0] - started) / 1000.0;

      assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(TranscoderStarted.class));
      TranscoderCompleted completed = events.stream().filter(TranscoderCompleted.class::isInstance)
          .map(TranscoderCompleted.class::cast).findFirst().orElseThrow();
      assertThat(completed.getResult()).isEqualTo("all_success");
      assertThat(completed.getUids()).extracting(u -> u.getUid()).containsExactlyInAnyOrder("1", "2");
      PostponeTranscodeFinalResult result = (PostponeTranscodeFinalResult) events.get(events.size() - 1);
      assertThat(result.getResult()).isEqualTo("total_success");
      String utc = io.capstan.segmenter.naming.FileNames.utc(started);
      List<String> names = result.getFileList().stream().map(f -> f.getFileName()).toList();
      String mp41 = sid + "_" + cname + "__uid_s_1__uid_e_av_" + utc + ".mp4";
      String mp42 = sid + "_" + cname + "__uid_s_2__uid_e_av_" + utc + ".mp4";
      assertThat(names).containsExactlyInAnyOrder(mp41, mp42);

      for (String name : names) {
        Path file = storage.resolve("pp").resolve(name);
        assertThat(file).exists();
        DecodedMedia media = DecodedMedia.of(file);
        assertThat(media.pictures).as(name + " has video").isNotEmpty();
        assertThat(media.audio.length).as(name + " has audio").isPositive();
        assertThat(media.width).isEqualTo(320);
        assertThat(media.height).isEqualTo(240);
        assertThat(media.durationSeconds).as(name + " lasts as long as the session (" + session + " s)")
            .isCloseTo(session, org.assertj.core.data.Offset.offset(0.5));
      }
      // uid 1 was there throughout: red and its 400 Hz tone from start to end.
      DecodedMedia one = DecodedMedia.of(storage.resolve("pp").resolve(mp41));
      assertThat(one.pictures(1.5, session - 0.5)).allSatisfy(p -> assertThat(p.r()).isGreaterThan(150));
      assertThat(one.tone(400, 1.5, session - 0.5)).isGreaterThan(0.5);
      // uid 2 was away between leftAt and backAt: black and silent in the middle of that, blue around it.
      DecodedMedia two = DecodedMedia.of(storage.resolve("pp").resolve(mp42));
      double away = (leftAt[0] - started) / 1000.0 + 1.0;
      double back = (backAt[0] - started) / 1000.0;
      assertThat(back - away).isGreaterThan(2);
      String profile = two.profile(800) + " away " + away + " back " + back;
      assertThat(two.pictures(away, back)).as(profile).isNotEmpty()
          .allSatisfy(p -> assertThat(p.black()).as(p.toString()).isTrue());
      assertThat(two.rms(away, back)).as(profile).isLessThan(0.001);
      assertThat(two.pictures(1.5, away - 1.5)).isNotEmpty().allSatisfy(p -> assertThat(p.b()).isGreaterThan(150));
      assertThat(two.tone(800, 1.5, away - 1.5)).isGreaterThan(0.5);
      assertThat(two.pictures(back + 2.0, session - 0.5)).isNotEmpty()
          .allSatisfy(p -> assertThat(p.b()).isGreaterThan(150));
      assertThat(two.tone(800, back + 2.0, session - 0.5)).isGreaterThan(0.5);
      // The temp copies ingest made are gone.
      try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
        assertThat(tmp.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("capstan-" + sid))).isEmpty();
      }
    }
  }

  private static void announce(KafkaProducer<String, SpecificRecord> producer, String cname, String uid, String colour,
                               int tone) throws Exception {
    producer.send(new ProducerRecord<>(Topics.CHANNELS.name(), cname + "/" + uid, StreamAnnouncement.newBuilder()
        .setChannel(cname).setUid(uid).setUrl("lavfi:color=c=" + colour + ":size=320x240:rate=15[out0];"
            + "sine=frequency=" + tone + ":sample_rate=48000[out1]")
        .setUpdatedUtcMs(System.currentTimeMillis()).build())).get(10, TimeUnit.SECONDS);
  }

  private static void command(KafkaProducer<String, SpecificRecord> producer, String sid, Object action)
      throws Exception {
    producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), sid, RecordingCommand.newBuilder().setJobId(sid)
        .setCommandId(UUID.randomUUID().toString()).setIssuedUtcMs(System.currentTimeMillis()).setAction(action)
        .build())).get(10, TimeUnit.SECONDS);
  }
}
