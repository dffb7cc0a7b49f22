package io.capstan.mixer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.mixer.compositor.YuvColor;
import io.capstan.mixer.testing.Decoded;
import io.capstan.mixer.testing.Feed;
import io.capstan.mixer.testing.Media;
import io.capstan.runtime.media.Natives;
import io.capstan.schemas.Layout;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A source flashing white and beeping (1 kHz, 100 ms) at each whole second goes through the
 * mixer; decoded as a player would (each picture and AAC block at its packet's pts, the AAC
 * priming packet at -21334 us included), every flash and its beep start within 40 ms.
 */
class AvSyncTest {

  static final long END_US = 5_000_000;

  @BeforeAll
  static void natives() {
    Natives.require();
    io.capstan.schemas.serde.AvroTrust.install();
  }

  @Test
  void flashesAndBeepsStayWithin40Ms() {
    Feed feed = new Feed("j");
    for (long n = 0; n * 1_000_000L / 15 < END_US; n++) {
      YuvColor c = n % 15 == 0 ? YuvColor.ofRgb(255, 255, 255) : YuvColor.BLACK;
      feed.add("a", n * 1_000_000L / 15, Media.solid(320, 180, c));
    }
    // the audio comes in 960-sample chunks (20 ms, as from Opus) so it is not aligned to the AAC blocks
    for (long s = 0; s * 1_000_000L / 48_000 < END_US; s += 960) {
      short[] chunk = new short[960];
      for (int i = 0; i < chunk.length; i++) {
        long sample = s + i;
        boolean beep = sample % 48_000 < 4_800;
        chunk[i] = beep ? (short) Math.round(16_000 * Math.sin(2 * Math.PI * 1000 * sample / 48_000.0)) : 0;
      }
      feed.add("a", s * 1_000_000L / 48_000, Media.pcm(chunk));
    }
    List<Packet> packets = CompositeOutputTest.run(
        CompositeOutputTest.spec(640, 360, 2, Layout.newBuilder().setMixedVideoLayout(1).build()),
        feed.records(END_US), JobHooks.discard());

    List<Long> flashes = new ArrayList<>();
    boolean lit = false;
    for (Decoded.Picture p : Decoded.video(Decoded.of(packets, MediaKind.VIDEO))) {
      boolean white = p.colorAt(320, 180).y() > 128;
      if (white && !lit) {
        flashes.add(p.ptsUs());
      }
      lit = white;
    }
    List<Long> beeps = new ArrayList<>();
    boolean loud = false;
    long quietSince = -1_000_000;
    for (Decoded.Block b : Decoded.audio(Decoded.of(packets, MediaKind.AUDIO))) {
      for (int i = 0; i < b.samples().length; i++) {
        long t = b.ptsUs() + i * 1_000_000L / 48_000;
        boolean now = Math.abs(b.samples()[i]) > 0.1f;
        if (now && !loud && t - quietSince > 500_000) {
          beeps.add(t);
        }
        if (now) {
          loud = true;
          quietSince = t;
        } else if (t - quietSince > 20_000) {
          loud = false;
        }
      }
    }
    assertThat(flashes).hasSize(5);
    assertThat(beeps).hasSize(5);
    for (int k = 0; k < 5; k++) {
      assertThat(flashes.get(k)).isEqualTo(k * 1_000_000L);
      assertThat(Math.abs(beeps.get(k) - flashes.get(k))).as("beep %d at %d us, flash at %d us", k, beeps.get(k),
          flashes.get(k)).isLessThanOrEqualTo(40_000);
    }
  }
}
