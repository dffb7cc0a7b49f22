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
import io.capstan.schemas.Pacing;
import io.capstan.schemas.PostProcessingRequest;
import io.capstan.schemas.PostponeTranscodeFinalResult;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Source;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.StreamMode;
import io.capstan.schemas.StreamTypes;
import io.capstan.schemas.Subscriptions;
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
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audio mix through every service: an individual audio-only recording of three uids with distinct
 * tones becomes one file in the requested format, rate and channels, in which all three are heard.
 */
class AudioMixIT {

  @ParameterizedTest
  @CsvSource({"mp3, 32000, 1, mp3", "m4a, 48000, 2, aac", "aac, 16000, 1, aac"})
  void threeUidsBecomeOneAudioFile(String format, int sampleRate, int channels, String codec, @TempDir Path storage)
      throws Exception {
    String sid = UUID.randomUUID().toString().replace("-", "");
    String cname = "mix" + sid.substring(0, 6);
    JobSpec spec = JobSpec.newBuilder().setJobId(sid).setChannel(cname).setMode(RecordingMode.INDIVIDUAL)
        .setStreamTypes(StreamTypes.AUDIO_ONLY).setStreamMode(StreamMode.ORIGINAL).setPacing(Pacing.FAST)
        .setSources(List.of(tone("11", 300, 0, 6), tone("12", 700, 0, 6), tone("13", 1100, 2, 4)))
        .setSubscriptions(Subscriptions.newBuilder().build()).setDecryption(Decryption.newBuilder().build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(2).build())
        .setStorage(StorageConfig.newBuilder().setVendor(99).setBucket("mix").build())
        .setAfterRecording(PostProcessingRequest.newBuilder().setTransMode("audioMix").setFormat(format)
            .setSampleRate(sampleRate).setChannels(channels).setBitrate(64_000).build())
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
      boolean done = follower.follow(sid, Duration.ofMinutes(3), e -> {
        events.add(e.getDetails());
        return e.getDetails() instanceof PostponeTranscodeFinalResult;
      }, () -> { });
      assertThat(done).as("postpone_transcode_final_result; events so far: " + events).isTrue();
    }
    PostponeTranscodeFinalResult result = (PostponeTranscodeFinalResult) events.get(events.size() - 1);
    assertThat(result.getResult()).isEqualTo("total_success");
    String name = sid + "_" + cname + "_0." + format;
    assertThat(result.getFileList()).extracting(f -> f.getFileName()).containsExactly(name);

    DecodedMedia mix = DecodedMedia.of(storage.resolve("mix").resolve(name));
    assertThat(mix.audioCodec).startsWith(codec);
    assertThat(mix.sampleRate).isEqualTo(sampleRate);
    assertThat(mix.channels).isEqualTo(channels);
    assertThat(mix.pictures).isEmpty();
    assertThat(mix.durationSeconds).isCloseTo(6.0, Offset.offset(0.5));
    // 300 and 700 Hz all along, 1100 Hz from 2 s on; each about a third (or half) of the sound.
    assertThat(mix.tone(300, 0.5, 1.8)).isGreaterThan(0.3);
    assertThat(mix.tone(700, 0.5, 1.8)).isGreaterThan(0.3);
    assertThat(mix.tone(1100, 0.5, 1.8)).isLessThan(0.02);
    for (int hz : new int[] {300, 700, 1100}) {
      assertThat(mix.tone(hz, 2.5, 5.5)).as(hz + " Hz in the mix").isGreaterThan(0.2);
    }
  }

  /** A uid with a tone from {@code start} s for {@code seconds} s (silence before it, so it joins at 0). */
  private static Source tone(String uid, int hz, int start, int seconds) {
    String graph = start == 0 ? "sine=frequency=" + hz + ":sample_rate=48000:duration=" + seconds + "[out0]"
        : "aevalsrc=0:s=48000:d=" + start + "[s];sine=frequency=" + hz + ":sample_rate=48000:duration=" + seconds
            + "[t];[s][t]concat=n=2:v=0:a=1[out0]";
    return Source.newBuilder().setUid(uid).setVideo(false).setUrl("lavfi:" + graph).build();
  }
}
