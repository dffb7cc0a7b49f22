package io.capstan.mixer.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.mixer.compositor.Compositor;
import io.capstan.mixer.compositor.YuvColor;
import io.capstan.runtime.media.Natives;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EncoderTest {

  @BeforeAll
  static void natives() {
    Natives.require();
  }

  @Test
  void h264HasIdrWithInBandParameterSetsExactlyAtSliceBoundaries() {
    List<Packet> packets = new ArrayList<>();
    try (Compositor compositor = new Compositor(320, 180);
         VideoEncoder encoder = new VideoEncoder(new VideoEncoder.Settings(320, 180, 10, 300, 1, "veryfast", 1))) {
      for (int n = 0; n < 35; n++) {
        YuvColor c = YuvColor.ofRgb(n * 7 % 255, 100, 200);
        compositor.compose(List.of(), uid -> null, c);
        packets.addAll(encoder.encode(compositor.canvas().frame(), n, n % 10 == 0));
      }
      packets.addAll(encoder.flush());
      assertThat(encoder.config().getExtradata().remaining()).isZero();
    }
    assertThat(packets).hasSize(35).allMatch(p -> p.getKind() == MediaKind.VIDEO);
    for (int n = 0; n < 35; n++) {
      Packet p = packets.get(n);
      assertThat(p.getPtsUs()).isEqualTo(n * 100_000L);
      assertThat(p.getDtsUs()).isEqualTo(p.getPtsUs());
      assertThat(p.getDurationUs()).isEqualTo(100_000L);
      boolean boundary = n % 10 == 0;
      assertThat(p.getKey()).as("frame %d", n).isEqualTo(boundary);
      List<Integer> nals = AnnexB.nalTypes(p.getData());
      if (boundary) {
        assertThat(nals).contains(7, 8, 5);
        assertThat(p.getConfig().getCodec()).isEqualTo("h264");
        assertThat(p.getConfig().getWidth()).isEqualTo(320);
      } else {
        assertThat(nals).doesNotContain(5);
        assertThat(p.getConfig()).isNull();
      }
    }
  }

  @Test
  void aacPacketsCarryTheAudioSpecificConfig() {
    List<Packet> packets = new ArrayList<>();
    try (AudioEncoder encoder = AudioEncoder.forProfile(2)) {
      // AudioSpecificConfig: AAC LC (2), 48 kHz (index 3), 2 channels, then FFmpeg's SBR sync extension
      java.nio.ByteBuffer asc = encoder.config().getExtradata();
      assertThat(asc.remaining()).isGreaterThanOrEqualTo(2);
      assertThat(asc.get(0) & 0xff).isEqualTo(0x11);
      assertThat(asc.get(1) & 0xff).isEqualTo(0x90);
      for (int block = 0; block < 10; block++) {
        packets.addAll(encoder.encode(new short[2 * AudioEncoder.FRAME_SIZE], block * 1024L));
      }
      packets.addAll(encoder.flush());
    }
    assertThat(packets).allMatch(p -> p.getKey() && p.getConfig() != null && p.getKind() == MediaKind.AUDIO);
    assertThat(packets.get(0).getConfig().getChannels()).isEqualTo(2);
    assertThat(packets.get(0).getConfig().getFrameSize()).isEqualTo(1024);
    // the encoder's priming: the first packet starts one frame before the first sample
    assertThat(packets.get(0).getPtsUs()).isEqualTo(-21_334L);
    assertThat(packets.get(1).getPtsUs()).isEqualTo(0L);
  }
}
