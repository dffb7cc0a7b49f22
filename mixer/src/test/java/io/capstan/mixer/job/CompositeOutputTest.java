package io.capstan.mixer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.mixer.compositor.YuvColor;
import io.capstan.mixer.image.ImagePool;
import io.capstan.mixer.image.ImageSettings;
import io.capstan.mixer.metrics.MixerMetrics;
import io.capstan.mixer.testing.Decoded;
import io.capstan.mixer.testing.Feed;
import io.capstan.mixer.testing.ImageServer;
import io.capstan.mixer.testing.Images;
import io.capstan.mixer.testing.Media;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.media.Natives;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.LayoutChange;
import io.capstan.schemas.LayoutRegion;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Packet;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.UserBackground;
import java.awt.Color;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JobMixer end to end without Kafka: records in, packets out, decoded and looked at. */
class CompositeOutputTest {

  static final JobMixer.Options OPTIONS = new JobMixer.Options("ultrafast", 1, 500, 500, 90);
  static final YuvColor RED = YuvColor.ofRgb(255, 0, 0);
  static final YuvColor GREEN = YuvColor.ofRgb(0, 255, 0);
  static final YuvColor BLUE = YuvColor.ofRgb(0, 0, 255);
  static final YuvColor WHITE = YuvColor.ofRgb(255, 255, 255);
  static final YuvColor BLACK = YuvColor.BLACK;

  @BeforeAll
  static void natives() {
    Natives.require();
    io.capstan.schemas.serde.AvroTrust.install();
  }

  static JobSpec spec(int width, int height, int sliceSeconds, Layout layout) {
    return JobSpec.newBuilder().setJobId("j").setChannel("c").setMode(RecordingMode.COMPOSITE).setPacing(Pacing.FAST)
        .setSubscriptions(Subscriptions.newBuilder().build()).setDecryption(Decryption.newBuilder().build())
        .setTranscoding(Transcoding.newBuilder().setWidth(width).setHeight(height).setFps(15).setBitrateKbps(800)
            .setLayout(layout).build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(sliceSeconds).build()).setStartedUtcMs(0).build();
  }

  static List<Packet> run(JobSpec spec, List<MediaRecord> records, JobHooks hooks) {
    List<EncodedPacket> out = new ArrayList<>();
    try (JobMixer mixer = new JobMixer(spec, OPTIONS, out::add, false, hooks)) {
      feed(mixer, records);
    }
    return packets(out);
  }

  /** Hands the records to a FAST job one by one, as the service does, to its end. */
  static void feed(JobMixer mixer, List<MediaRecord> records) {
    for (MediaRecord r : records) {
      mixer.accept(r, 0);
      mixer.advance(0);
    }
    assertThat(mixer.finished()).isTrue();
  }

  static List<Packet> packets(List<EncodedPacket> out) {
    return out.stream().filter(p -> p.getBody() instanceof Packet).map(p -> (Packet) p.getBody()).toList();
  }

  /** The mixer's image pool as configured for tests: the images come from 127.0.0.1. */
  static ImagePool imagePool(String... settings) {
    Map<String, String> values = new HashMap<>(Map.of("addresses.allow.private", "true"));
    for (int i = 0; i < settings.length; i += 2) {
      values.put(settings[i], settings[i + 1]);
    }
    return new ImagePool(ImageSettings.from(Config.of(values)));
  }

  static void video(Feed feed, String uid, int w, int h, YuvColor c, long untilUs) {
    for (long n = 0; n * 1_000_000L / 15 < untilUs; n++) {
      feed.add(uid, n * 1_000_000L / 15, Media.solid(w, h, c));
    }
  }

  static void audio(Feed feed, String uid, double hz, long untilUs) {
    for (long s = 0; s * 1_000_000L / 48_000 < untilUs; s += 1024) {
      feed.add(uid, s * 1_000_000L / 48_000, Media.tone(hz, 6000, s, 1024));
    }
  }

  @Test
  void aLayoutChangeAtTwoSecondsSwitchesBestFitToVerticalWithoutRestartingTheEncoder() {
    Feed feed = new Feed("j");
    video(feed, "a", 320, 180, RED, 4_000_000);
    video(feed, "b", 320, 180, GREEN, 4_000_000);
    Layout vertical = Layout.newBuilder().setMixedVideoLayout(2).setMaxResolutionUid("b").build();
    feed.add("", 2_000_000, LayoutChange.newBuilder().setGeneration(1).setLayout(vertical).build());
    List<Packet> packets = run(spec(640, 360, 10, Layout.newBuilder().setMixedVideoLayout(1).build()),
        feed.records(4_000_000), JobHooks.discard());

    List<Packet> video = Decoded.of(packets, MediaKind.VIDEO);
    assertThat(video).hasSize(60);
    // one continuous stream: a single IDR (the first frame; slices are 10 s), pts without a gap
    assertThat(video.stream().filter(Packet::getKey).count()).isEqualTo(1);
    assertThat(video.get(0).getKey()).isTrue();
    for (int n = 0; n < video.size(); n++) {
      assertThat(video.get(n).getPtsUs()).isEqualTo(n * 1_000_000L / 15);
    }
    List<Decoded.Picture> pictures = Decoded.video(video);
    assertThat(pictures).hasSize(60);
    for (Decoded.Picture p : pictures) {
      if (p.ptsUs() < 2_000_000) {
        // best fit: a left, b right
        assertThat(p.near(160, 180, RED, 10)).as("a on the left at %d us: %s", p.ptsUs(), p.colorAt(160, 180)).isTrue();
        assertThat(p.near(480, 180, GREEN, 10)).as("b on the right at %d us", p.ptsUs()).isTrue();
      } else {
        // vertical: b large on the left (7/8 of the width), a small at the top right, background below it
        assertThat(p.near(160, 180, GREEN, 10)).as("b large at %d us: %s", p.ptsUs(), p.colorAt(160, 180)).isTrue();
        assertThat(p.near(480, 180, GREEN, 10)).as("b large at %d us", p.ptsUs()).isTrue();
        assertThat(p.near(600, 20, RED, 12)).as("a small at %d us: %s", p.ptsUs(), p.colorAt(600, 20)).isTrue();
        assertThat(p.near(600, 300, BLACK, 10)).as("background at %d us", p.ptsUs()).isTrue();
      }
    }
  }

  /**
   * Three users joined the channel red, green, blue, but their streams reached the mixer in the
   * opposite order: the grid follows the join order the records carry. Red leaves and joins again:
   * a new place at the end.
   */
  @Test
  void regionsFollowTheOrderUsersJoinedNotTheOrderTheirStreamsOpened() {
    List<MediaRecord> media = new ArrayList<>();
    stretch(media, "blue", 3_000, BLUE, 0, 5_000_000);
    stretch(media, "green", 2_000, GREEN, 200_000, 5_000_000);
    stretch(media, "red", 1_000, RED, 400_000, 2_000_000);
    stretch(media, "red", 5_000, RED, 3_000_000, 5_000_000);
    media.sort(java.util.Comparator.comparingLong(MediaRecord::getTimestampUs));
    List<MediaRecord> records = new ArrayList<>();
    java.util.Set<String> present = new java.util.LinkedHashSet<>();
    long nextWatermark = 200_000;
    for (MediaRecord r : media) {
      while (r.getTimestampUs() >= nextWatermark) {
        for (String uid : present) {
          records.add(Media.record("j", uid, nextWatermark, io.capstan.schemas.Watermark.newBuilder().build()));
        }
        nextWatermark += 200_000;
      }
      records.add(r);
      if (r.getBody() instanceof io.capstan.schemas.StreamState state) {
        if (state.getState() == io.capstan.schemas.StreamStateKind.JOINED) {
          present.add(r.getUid());
        } else {
          present.remove(r.getUid());
        }
      }
    }
    records.add(Media.record("j", "", 5_000_000, io.capstan.schemas.EndOfJob.newBuilder().setUtcMs(1).build()));
    List<Packet> packets = run(spec(640, 360, 10, Layout.newBuilder().setMixedVideoLayout(1).build()), records,
        JobHooks.discard());

    for (Decoded.Picture p : Decoded.video(Decoded.of(packets, MediaKind.VIDEO))) {
      long t = p.ptsUs();
      if (t >= 500_000 && t < 2_000_000) {
        assertThat(p.near(160, 90, RED, 10)).as("red, first to join, top left at %d us", t).isTrue();
        assertThat(p.near(480, 90, GREEN, 10)).as("green top right at %d us", t).isTrue();
        assertThat(p.near(320, 270, BLUE, 10)).as("blue, first to stream, last at %d us", t).isTrue();
      } else if (t >= 2_100_000 && t < 3_000_000) {
        assertThat(p.near(160, 180, GREEN, 10)).as("green left while red is away, %d us", t).isTrue();
        assertThat(p.near(480, 180, BLUE, 10)).as("blue right while red is away, %d us", t).isTrue();
      } else if (t >= 3_100_000) {
        assertThat(p.near(160, 90, GREEN, 10)).as("green top left after red came back, %d us", t).isTrue();
        assertThat(p.near(480, 90, BLUE, 10)).as("blue top right, %d us", t).isTrue();
        assertThat(p.near(320, 270, RED, 10)).as("red, joined again, last at %d us", t).isTrue();
      }
    }
  }

  /** One stretch of a uid in the channel: JOINED, its frames, LEFT (unless it stays to the end); its join order on each. */
  private static void stretch(List<MediaRecord> out, String uid, long joinOrder, YuvColor colour, long fromUs,
                              long untilUs) {
    List<MediaRecord> records = new ArrayList<>();
    records.add(Media.record("j", uid, fromUs, Media.state(io.capstan.schemas.StreamStateKind.JOINED)));
    for (long n = (fromUs * 15 + 999_999) / 1_000_000; n * 1_000_000L / 15 < untilUs; n++) {
      records.add(Media.record("j", uid, n * 1_000_000L / 15, Media.solid(320, 180, colour)));
    }
    if (untilUs < 5_000_000) {
      records.add(Media.record("j", uid, untilUs, Media.state(io.capstan.schemas.StreamStateKind.LEFT)));
    }
    records.forEach(r -> out.add(MediaRecord.newBuilder(r).setJoinOrder(joinOrder).build()));
  }

  @Test
  void uidsWithoutVideoShowTheirPlaceholdersAndTheCanvasItsImage() {
    Feed feed = new Feed("j");
    video(feed, "a", 320, 180, RED, 1_000_000);
    // b, c and d send only audio: they keep their regions, shown with their placeholders
    audio(feed, "b", 300, 1_000_000);
    audio(feed, "c", 500, 1_000_000);
    audio(feed, "d", 700, 1_000_000);
    List<String> warnings = new ArrayList<>();
    List<EncodedPacket> out = new ArrayList<>();
    try (ImageServer server = new ImageServer(); ImagePool pool = imagePool()) {
      Layout layout = Layout.newBuilder().setMixedVideoLayout(3).setBackgroundColor("#000000")
          .setBackgroundImage(server.serve("/white.png", Images.png(64, 48, Color.WHITE)))
          .setDefaultUserBackgroundImage(server.serve("/blue.jpg", Images.solid(64, 48, Color.BLUE, "jpg")))
          .setUserBackgrounds(List.of(
              UserBackground.newBuilder().setUid("b").setImageUrl(server.serve("/green.png",
                  Images.png(64, 48, Color.GREEN))).build(),
              UserBackground.newBuilder().setUid("d").setImageUrl(server.status("/missing.png", 404)).build()))
          .setRegions(List.of(region("a", 0, 0), region("b", 0.5, 0), region("c", 0, 0.5), region("d", 0.5, 0.5)))
          .build();
      try (JobMixer mixer = new JobMixer(spec(640, 360, 10, layout), OPTIONS, out::add, false,
          new JobHooks(MixerMetrics.discard(), warnings::add, pool))) {
        // the job's images load from its start; a FAST job fed at once would outrun them
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.inFlight() == 0);
        feed(mixer, feed.records(1_000_000));
      }
    }
    List<Decoded.Picture> pictures = Decoded.video(Decoded.of(packets(out), MediaKind.VIDEO));
    assertThat(pictures).hasSize(15);
    for (Decoded.Picture p : pictures) {
      assertThat(p.near(80, 45, RED, 10)).as("a's video").isTrue();
      assertThat(p.near(400, 45, GREEN, 12)).as("b's own background: %s", p.colorAt(400, 45)).isTrue();
      assertThat(p.near(80, 225, BLUE, 12)).as("c: the default user background: %s", p.colorAt(80, 225)).isTrue();
      assertThat(p.near(400, 225, BLUE, 12)).as("d's image is missing: the default instead").isTrue();
      assertThat(p.near(600, 340, WHITE, 10)).as("the canvas image where no region is").isTrue();
      assertThat(p.near(240, 150, WHITE, 10)).as("the canvas image where no region is").isTrue();
    }
    // the missing image is reported once, not once per frame
    assertThat(warnings).singleElement().asString().contains("backgroundConfig", "uid d", "/missing.png", "HTTP 404");
  }

  @Test
  void aHalfTransparentRegionIsBlendedInTheEncodedOutput() {
    Feed feed = new Feed("j");
    video(feed, "a", 320, 180, RED, 1_000_000);
    Layout layout = Layout.newBuilder().setMixedVideoLayout(3).setBackgroundColor("#0000FF")
        .setRegions(List.of(LayoutRegion.newBuilder().setUid("a").setX(0.25).setY(0.25).setWidth(0.5).setHeight(0.5)
            .setAlpha(0.5).build()))
        .build();
    List<Decoded.Picture> pictures = Decoded.video(Decoded.of(run(spec(1280, 720, 10, layout),
        feed.records(1_000_000), JobHooks.discard()), MediaKind.VIDEO));
    YuvColor half = new YuvColor((RED.y() + BLUE.y()) / 2, (RED.u() + BLUE.u()) / 2, (RED.v() + BLUE.v()) / 2);
    for (Decoded.Picture p : pictures) {
      assertThat(p.near(640, 360, half, 8)).as("blend at the centre: %s vs %s", p.colorAt(640, 360), half).isTrue();
      assertThat(p.near(100, 100, BLUE, 8)).isTrue();
    }
  }

  private static LayoutRegion region(String uid, double x, double y) {
    return LayoutRegion.newBuilder().setUid(uid).setX(x).setY(y).setWidth(0.25).setHeight(0.25).build();
  }
}
