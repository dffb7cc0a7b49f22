package io.capstan.mixer.job;

import static io.capstan.mixer.job.CompositeOutputTest.BLUE;
import static io.capstan.mixer.job.CompositeOutputTest.GREEN;
import static io.capstan.mixer.job.CompositeOutputTest.OPTIONS;
import static io.capstan.mixer.job.CompositeOutputTest.RED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.mixer.image.ImagePool;
import io.capstan.mixer.metrics.MixerMetrics;
import io.capstan.mixer.testing.Decoded;
import io.capstan.mixer.testing.Feed;
import io.capstan.mixer.testing.ImageServer;
import io.capstan.mixer.testing.ImageServer.Trickle;
import io.capstan.mixer.testing.Images;
import io.capstan.runtime.media.Natives;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.LayoutRegion;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.MediaRecord;
import java.awt.Color;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two recordings on one mixer loop, one whose background image comes from a server that trickles
 * a byte a second: neither recording waits for it.
 */
class SlowImageTest {

  @BeforeAll
  static void natives() {
    Natives.require();
    io.capstan.schemas.serde.AvroTrust.install();
  }

  @Test
  void aTricklingImageServerHoldsBackNoRecording() {
    List<String> warnings = new ArrayList<>();
    List<EncodedPacket> slowOut = new ArrayList<>();
    List<EncodedPacket> fastOut = new ArrayList<>();
    // a deadline far beyond the test: had the loop waited, it would have waited for that
    try (ImageServer server = new ImageServer();
         ImagePool pool = CompositeOutputTest.imagePool("mixer.image.fetch.timeout", "60s")) {
      byte[] white = Images.png(64, 48, Color.WHITE);
      Trickle trickle = server.trickle("/slow.png", white, Duration.ofSeconds(1));
      String fast = server.serve("/green.png", Images.png(64, 48, Color.GREEN));
      JobHooks hooks = new JobHooks(MixerMetrics.discard(), warnings::add, pool);
      try (JobMixer slowJob = new JobMixer(spec("slow", trickle.url()), OPTIONS, slowOut::add, false, hooks);
           JobMixer fastJob = new JobMixer(spec("fast", fast), OPTIONS, fastOut::add, false, hooks)) {
        // the fast server's image is in; the trickle is all that is left
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.inFlight() == 1);
        List<MediaRecord> slowRecords = records("slow");
        List<MediaRecord> fastRecords = records("fast");
        long began = System.nanoTime();
        // one loop, two jobs, as in the service
        for (int i = 0; i < Math.max(slowRecords.size(), fastRecords.size()); i++) {
          step(slowJob, slowRecords, i);
          step(fastJob, fastRecords, i);
        }
        assertThat(slowJob.finished()).isTrue();
        assertThat(fastJob.finished()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).as("nobody waited for the trickle")
            .isLessThan(Duration.ofSeconds(15));
        assertThat(trickle.sent()).as("the slow image was still coming in").isLessThan(white.length);
      }
      // the slow recording ended: its fetch is dropped rather than left to run out the deadline
      await().atMost(Duration.ofSeconds(5)).until(trickle::cutOff);
    }
    assertThat(warnings).as("nothing failed: the slow image simply was not there yet").isEmpty();

    List<Decoded.Picture> slow = Decoded.video(Decoded.of(CompositeOutputTest.packets(slowOut), MediaKind.VIDEO));
    List<Decoded.Picture> fast = Decoded.video(Decoded.of(CompositeOutputTest.packets(fastOut), MediaKind.VIDEO));
    assertThat(slow).hasSize(15);
    assertThat(fast).hasSize(15);
    for (Decoded.Picture p : slow) {
      assertThat(p.near(80, 45, RED, 10)).as("the uid's video").isTrue();
      assertThat(p.near(480, 270, BLUE, 10)).as("the colour until the image comes: %s", p.colorAt(480, 270))
          .isTrue();
    }
    for (Decoded.Picture p : fast) {
      assertThat(p.near(80, 45, RED, 10)).as("the uid's video").isTrue();
      assertThat(p.near(480, 270, GREEN, 12)).as("the other recording's image: %s", p.colorAt(480, 270))
          .isTrue();
    }
  }

  private static void step(JobMixer job, List<MediaRecord> records, int i) {
    if (i < records.size()) {
      job.accept(records.get(i), 0);
      job.advance(0);
    }
  }

  private static JobSpec spec(String jobId, String backgroundImage) {
    Layout layout = Layout.newBuilder().setMixedVideoLayout(3).setBackgroundColor("#0000FF")
        .setBackgroundImage(backgroundImage)
        .setRegions(List.of(LayoutRegion.newBuilder().setUid("u").setX(0).setY(0).setWidth(0.25).setHeight(0.25)
            .build()))
        .build();
    return JobSpec.newBuilder(CompositeOutputTest.spec(640, 360, 10, layout)).setJobId(jobId).build();
  }

  private static List<MediaRecord> records(String jobId) {
    Feed feed = new Feed(jobId);
    CompositeOutputTest.video(feed, "u", 320, 180, RED, 1_000_000);
    return feed.records(1_000_000);
  }
}
