package io.capstan.mixer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.mixer.image.ImageLoader;
import io.capstan.mixer.metrics.MixerMetrics;
import io.capstan.runtime.media.Natives;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.Discontinuity;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Packet;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.StreamStateKind;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.Watermark;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobMixerTest {

  static final JobMixer.Options OPTIONS = new JobMixer.Options("ultrafast", 1, 500, 500, 30);

  private final List<EncodedPacket> out = new ArrayList<>();

  @BeforeAll
  static void natives() {
    Natives.require();
    io.capstan.schemas.serde.AvroTrust.install();
  }

  static JobSpec spec(Pacing pacing) {
    return JobSpec.newBuilder().setJobId("j").setChannel("c").setMode(RecordingMode.COMPOSITE).setPacing(pacing)
        .setSubscriptions(Subscriptions.newBuilder().build()).setDecryption(Decryption.newBuilder().build())
        .setTranscoding(Transcoding.newBuilder().setWidth(320).setHeight(180).setFps(10)
            .setLayout(Layout.newBuilder().build()).build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(1).build()).setStartedUtcMs(0).build();
  }

  static MediaRecord record(String uid, long ts, Object body) {
    return MediaRecord.newBuilder().setJobId("j").setUid(uid).setTimestampUs(ts).setBody(body).build();
  }

  static StreamState joined() {
    return StreamState.newBuilder().setState(StreamStateKind.JOINED).setUtcMs(0).build();
  }

  private long videoFrames() {
    return out.stream().filter(p -> p.getBody() instanceof Packet pk && pk.getKind() == MediaKind.VIDEO).count();
  }

  private void feedLaggard(JobMixer mixer) {
    mixer.accept(record("a", 0, joined()), 0);
    mixer.accept(record("b", 0, joined()), 0);
    mixer.accept(record("a", 2_000_000, Watermark.newBuilder().build()), 0);
  }

  @Test
  void liveJobStopsWaitingForALaggingUidAfterTheJitterBuffer() {
    try (JobMixer mixer = new JobMixer(spec(Pacing.REALTIME), OPTIONS, out::add, false)) {
      feedLaggard(mixer);
      mixer.advance(100);
      // frames are encoded with a delay; count what was composed
      assertThat(mixer.framesComposed()).isZero();
      mixer.advance(600);
      assertThat(mixer.framesComposed()).isEqualTo(20);
    }
  }

  @Test
  void lateVideoAndAudioAreDroppedAndCounted() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JobHooks hooks = hooks(registry);
    try (JobMixer mixer = new JobMixer(spec(Pacing.REALTIME), OPTIONS, out::add, false, hooks)) {
      feedLaggard(mixer);
      mixer.advance(600);
      assertThat(mixer.framesComposed()).isEqualTo(20);
      // b's media for 1 s and 0.5 s arrive after the jitter buffer made those instants
      mixer.accept(record("b", 1_000_000, io.capstan.mixer.testing.Media.solid(32, 32,
          io.capstan.mixer.compositor.YuvColor.BLACK)), 700);
      mixer.accept(record("b", 500_000, io.capstan.mixer.testing.Media.tone(440, 1000, 0, 1024)), 700);
      // a frame still ahead of the output is not late
      mixer.accept(record("b", 2_000_000, io.capstan.mixer.testing.Media.solid(32, 32,
          io.capstan.mixer.compositor.YuvColor.BLACK)), 700);
    }
    String scrape = registry.scrape();
    assertThat(scrape).contains("capstan_mixer_late_frames_total{kind=\"video\"} 1.0");
    assertThat(scrape).contains("capstan_mixer_late_frames_total{kind=\"audio\"} 1.0");
    assertThat(scrape).contains("capstan_mixer_frames_composed_total 20.0");
    assertThat(scrape).contains("capstan_mixer_encode_seconds_count{kind=\"video\"} 20");
  }

  @Test
  void aUidThatKeepsLaggingIsWaitedForAfterItsFirstLateFrames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JobHooks hooks = hooks(registry);
    JobMixer.Options adaptive = new JobMixer.Options("ultrafast", 1, 500, 3000, 30);
    try (JobMixer mixer = new JobMixer(spec(Pacing.REALTIME), adaptive, out::add, false, hooks)) {
      mixer.accept(record("a", 0, joined()), 0);
      mixer.accept(record("b", 0, joined()), 0);
      double lateAtFourSeconds = 0;
      // a is live; b's pictures (10 fps) reach the mixer 1.5 s after their time, all along.
      for (long now = 0; now <= 8000; now += 100) {
        mixer.accept(record("a", now * 1000, Watermark.newBuilder().build()), now);
        if (now >= 1500) {
          mixer.accept(record("b", (now - 1500) * 1000, io.capstan.mixer.testing.Media.solid(32, 32,
              io.capstan.mixer.compositor.YuvColor.BLACK)), now);
        }
        mixer.advance(now);
        if (now == 4000) {
          lateAtFourSeconds = lateVideo(registry);
        }
      }
      // Those already made when the buffer grew are lost (about a second's worth), later ones not.
      assertThat(lateAtFourSeconds).as("b's first pictures came after their instants").isBetween(1.0, 12.0);
      assertThat(lateVideo(registry)).as("none once the buffer grew").isEqualTo(lateAtFourSeconds);
      assertThat(mixer.framesComposed()).as("the output kept going, 1.6 s behind").isBetween(60L, 66L);
    }
  }

  private static JobHooks hooks(PrometheusMeterRegistry registry) {
    return new JobHooks(new MixerMetrics(registry), m -> { }, ImageLoader.none());
  }

  private static double lateVideo(PrometheusMeterRegistry registry) {
    return registry.get("capstan_mixer_late_frames").tag("kind", "video").counter().count();
  }

  @Test
  void fastJobWaitsForEveryWatermark() {
    try (JobMixer mixer = new JobMixer(spec(Pacing.FAST), OPTIONS, out::add, false)) {
      feedLaggard(mixer);
      mixer.advance(100_000);
      assertThat(mixer.framesComposed()).isZero();
      mixer.accept(record("b", 1_000_000, Watermark.newBuilder().build()), 100_000);
      mixer.advance(100_000);
      assertThat(mixer.framesComposed()).isEqualTo(10);
    }
  }

  @Test
  void aRestartedJobStartsWithADiscontinuityAndAKeyframe() {
    try (JobMixer mixer = new JobMixer(spec(Pacing.FAST), OPTIONS, out::add, true)) {
      mixer.accept(record("a", 3_000_000, Watermark.newBuilder().build()), 0);
      mixer.accept(record("", 3_500_000, EndOfJob.newBuilder().setUtcMs(1).build()), 0);
      mixer.advance(0);
      assertThat(mixer.finished()).isTrue();
    }
    assertThat(out.get(0).getBody()).isInstanceOf(Discontinuity.class);
    assertThat(out.get(0).getTimestampUs()).isEqualTo(3_000_000);
    List<Packet> video = out.stream().map(EncodedPacket::getBody).filter(b -> b instanceof Packet)
        .map(b -> (Packet) b).filter(p -> p.getKind() == MediaKind.VIDEO).toList();
    assertThat(video).extracting(Packet::getPtsUs)
        .containsExactly(3_000_000L, 3_100_000L, 3_200_000L, 3_300_000L, 3_400_000L);
    assertThat(video.get(0).getKey()).isTrue();
    assertThat(out.get(out.size() - 1).getBody()).isInstanceOf(EndOfJob.class);
  }

  @Test
  void aNewJobStartsAtZeroWithBackgroundBeforeAnyoneJoins() {
    try (JobMixer mixer = new JobMixer(spec(Pacing.FAST), OPTIONS, out::add, true)) {
      mixer.accept(record("a", 1_000_000, joined()), 0);
      mixer.accept(record("", 1_000_000, EndOfJob.newBuilder().setUtcMs(1).build()), 0);
      mixer.advance(0);
    }
    assertThat(out.get(0).getBody()).isNotInstanceOf(Discontinuity.class);
    assertThat(videoFrames()).isEqualTo(10);
  }
}
