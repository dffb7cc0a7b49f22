package io.capstan.segmenter.mux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class H264Test {

  @Test
  void takesSpsAndPpsOutOfAnAnnexBAccessUnit() {
    byte[] au = {0, 0, 0, 1, 9, (byte) 0xf0, // AUD
        0, 0, 0, 1, 0x67, 0x42, 0, 0x1e, 0, // SPS ending in a zero byte before a 4-byte start code
        0, 0, 0, 1, 0x68, (byte) 0xce, 0x38, (byte) 0x80,
        0, 0, 1, 0x65, (byte) 0x88, (byte) 0x84}; // IDR slice
    byte[] sets = H264.parameterSets(ByteBuffer.wrap(au));
    assertThat(sets).containsExactly(0, 0, 0, 1, 0x67, 0x42, 0, 0x1e,
        0, 0, 0, 1, 0x68, (byte) 0xce, 0x38, (byte) 0x80);
    assertThat(H264.parameterSets(ByteBuffer.wrap(new byte[] {0, 0, 1, 0x41, 1}))).isEmpty();
  }
}
