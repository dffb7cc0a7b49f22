package io.capstan.mixer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.mixer.compositor.YuvColor;
import io.capstan.mixer.testing.Decoded;
import io.capstan.mixer.testing.Feed;
import io.capstan.mixer.testing.Media;
import io.capstan.runtime.media.Natives;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.Discontinuity;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Packet;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StreamStateKind;
import io.capstan.schemas.Subscriptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IndividualJobTest {

  static final YuvColor BLUE = YuvColor.ofRgb(0, 0, 255);

  @BeforeAll
  static void natives() {
    Natives.require();
    io.capstan.schemas.serde.AvroTrust.install();
  }

  static JobSpec spec() {
    return JobSpec.newBuilder().setJobId("j").setChannel("c").setMode(RecordingMode.INDIVIDUAL).setPacing(Pacing.FAST)
        .setSubscriptions(Subscriptions.newBuilder().build()).setDecryption(Decryption.newBuilder().build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(1).build()).setStartedUtcMs(0).build();
  }

  private static List<EncodedPacket> run(List<MediaRecord> records) {
    List<EncodedPacket> out = new ArrayList<>();
    try (IndividualJob job = new IndividualJob(spec(), CompositeOutputTest.OPTIONS, out::add, false,
        JobHooks.discard())) {
      for (MediaRecord r : records) {
        job.accept(r, 0);
        job.advance(0);
      }
      assertThat(job.finished()).isTrue();
    }
    return out;
  }

  private static List<Packet> packets(List<EncodedPacket> out, String uid, MediaKind kind) {
    return out.stream().filter(p -> p.getUid().equals(uid) && p.getBody() instanceof Packet pk && pk.getKind() == kind)
        .map(p -> (Packet) p.getBody()).toList();
  }

  @Test
  void eachUidWithFramesGetsItsOwnH264AndAacOutputWithKeyframesAtSliceBoundaries() {
    Feed feed = new Feed("j");
    CompositeOutputTest.video(feed, "x", 320, 240, BLUE, 2_500_000);
    CompositeOutputTest.audio(feed, "x", 440, 2_500_000);
    // y: ingest passed its video through; only its audio needs transcoding
    CompositeOutputTest.audio(feed, "y", 660, 2_500_000);
    List<EncodedPacket> out = run(feed.records(2_500_000));

    assertThat(out).allMatch(p -> p.getUid().equals("x") || p.getUid().equals("y")
        || p.getUid().isEmpty() && p.getBody() instanceof EndOfJob);
    assertThat(out.get(out.size() - 1).getUid()).as("the job's own end comes last").isEmpty();
    List<Packet> video = packets(out, "x", MediaKind.VIDEO);
    assertThat(video).hasSize(38);
    for (int n = 0; n < video.size(); n++) {
      assertThat(video.get(n).getPtsUs()).isEqualTo(n * 1_000_000L / 15);
      assertThat(video.get(n).getKey()).as("frame %d", n).isEqualTo(n % 15 == 0);
    }
    assertThat(video.get(0).getConfig().getWidth()).isEqualTo(320);
    assertThat(video.get(0).getConfig().getHeight()).isEqualTo(240);
    List<Decoded.Picture> pictures = Decoded.video(video);
    assertThat(pictures).hasSize(38).allMatch(p -> p.near(160, 120, BLUE, 10));
    assertThat(packets(out, "y", MediaKind.VIDEO)).isEmpty();

    for (String uid : List.of("x", "y")) {
      List<Packet> audio = packets(out, uid, MediaKind.AUDIO);
      assertThat(audio.size()).as(uid).isGreaterThan(110);
      assertThat(audio).allMatch(p -> p.getKey() && p.getConfig().getCodec().equals("aac"));
      List<EncodedPacket> own = out.stream().filter(p -> p.getUid().equals(uid)).toList();
      assertThat(own.get(own.size() - 1).getBody()).isInstanceOf(EndOfJob.class);
      assertThat(own.stream().filter(p -> p.getBody() instanceof EndOfJob).count()).isEqualTo(1);
    }
    double[] x = tones(packets(out, "x", MediaKind.AUDIO));
    double[] y = tones(packets(out, "y", MediaKind.AUDIO));
    assertThat(x[0]).isGreaterThan(100 * x[1]);
    assertThat(y[1]).isGreaterThan(100 * y[0]);
  }

  @Test
  void aUidThatLeavesAndRejoinsContinuesBehindADiscontinuityWithAKeyframe() {
    Feed feed = new Feed("j");
    for (long n = 0; n < 15; n++) {
      feed.add("x", n * 1_000_000L / 15, Media.solid(160, 120, BLUE));
    }
    feed.add("x", 1_000_000, Media.state(StreamStateKind.LEFT));
    for (long n = 30; n < 45; n++) {
      feed.add("x", n * 1_000_000L / 15, Media.solid(160, 120, BLUE));
    }
    List<EncodedPacket> out = run(feed.records(3_000_000));
    List<Object> bodies = out.stream().map(EncodedPacket::getBody).toList();
    int discontinuity = -1;
    for (int i = 0; i < bodies.size(); i++) {
      if (bodies.get(i) instanceof Discontinuity) {
        discontinuity = i;
      }
    }
    assertThat(discontinuity).isPositive();
    Packet after = (Packet) bodies.get(discontinuity + 1);
    assertThat(after.getKey()).isTrue();
    assertThat(after.getPtsUs()).isEqualTo(2_000_000);
    assertThat(packets(out, "x", MediaKind.VIDEO)).hasSize(30);
  }

  /** Goertzel energies at 440 and 660 Hz over the decoded audio. */
  private static double[] tones(List<Packet> audio) {
    List<Float> all = new ArrayList<>();
    Decoded.audio(audio).forEach(b -> {
      for (float f : b.samples()) {
        all.add(f);
      }
    });
    float[] pcm = new float[all.size() - 48_000];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = all.get(i + 24_000);
    }
    return new double[] {goertzel(pcm, 440), goertzel(pcm, 660)};
  }

  static double goertzel(float[] samples, double hz) {
    double coefficient = 2 * Math.cos(2 * Math.PI * hz / 48_000.0);
    double s1 = 0;
    double s2 = 0;
    for (float sample : samples) {
      double s0 = sample + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  }
}
