package io.capstan.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.schemas.AudioFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class AudioShareTest {

  /** 20 ms of mono 48 kHz whose sample i has the value i. */
  private static AudioFrame frame() {
    ByteBuffer pcm = ByteBuffer.allocate(960 * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 960; i++) {
      pcm.putShort((short) i);
    }
    pcm.flip();
    return new AudioFrame(48_000, 1, pcm);
  }

  @Test
  void aFrameAcrossTheHandOverPointIsCutOnTheSampleAtIt() {
    AudioShare.Part before = AudioShare.of(frame(), 990_000, Long.MIN_VALUE, 1_000_000);
    AudioShare.Part after = AudioShare.of(frame(), 990_000, 1_000_000, Long.MAX_VALUE);

    assertThat(before.timestampUs()).isEqualTo(990_000);
    assertThat(samples(before)).hasSize(480).startsWith((short) 0).endsWith((short) 479);
    assertThat(after.timestampUs()).isEqualTo(1_000_000);
    assertThat(samples(after)).hasSize(480).startsWith((short) 480).endsWith((short) 959);
  }

  @Test
  void framesWhollyInsideOrOutsideTheShareAreKeptOrLeftWhole() {
    AudioFrame frame = frame();
    assertThat(AudioShare.of(frame, 0, Long.MIN_VALUE, Long.MAX_VALUE).frame()).isSameAs(frame);
    assertThat(AudioShare.of(frame, 1_000_000, Long.MIN_VALUE, 1_000_000)).isNull();
    assertThat(AudioShare.of(frame, 980_000, 1_000_000, Long.MAX_VALUE)).isNull();
    assertThat(AudioShare.of(frame, 1_000_000, 1_000_000, Long.MAX_VALUE).frame()).isSameAs(frame);
  }

  private static short[] samples(AudioShare.Part part) {
    ByteBuffer bytes = part.frame().getSamples().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    short[] out = new short[bytes.remaining() / 2];
    bytes.asShortBuffer().get(out);
    return out;
  }
}
