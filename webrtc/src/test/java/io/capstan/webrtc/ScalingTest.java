package io.capstan.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import io.capstan.schemas.VideoFrame;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ScalingTest {

  @Test
  void fitKeepsTheShapeWithEvenSidesAndNeverScalesUp() {
    assertThat(Scaling.fit(1280, 720, new Size(640, 640))).isEqualTo(new Size(640, 360));
    assertThat(Scaling.fit(1280, 720, new Size(641, 1000))).isEqualTo(new Size(640, 360));
    assertThat(Scaling.fit(1000, 750, new Size(333, 333))).isEqualTo(new Size(332, 248));
    assertThat(Scaling.fit(320, 240, new Size(1920, 1080))).isEqualTo(new Size(320, 240));
    assertThat(Scaling.fit(321, 241, null)).isEqualTo(new Size(321, 241));
  }

  @Test
  void toVideoFrameScalesDownWithLibyuvIntoTightPlanes() {
    Rtc.factory(); // loads the native library
    NativeI420Buffer buffer = NativeI420Buffer.allocate(642, 362);
    try {
      fill(buffer.getDataY(), 200);
      fill(buffer.getDataU(), 50);
      fill(buffer.getDataV(), 150);
      I420Picture picture = new I420Picture(buffer);

      VideoFrame small = picture.toVideoFrame(new Size(320, 320));
      assertThat(small.getWidth()).isEqualTo(320);
      assertThat(small.getHeight()).isEqualTo(180);
      assertThat(small.getStrides()).containsExactly(320, 160, 160);
      assertThat(small.getData().remaining()).isEqualTo(320 * 180 + 2 * 160 * 90);
      ByteBuffer d = small.getData();
      // libyuv's box filter may round a flat plane one step down.
      assertThat(d.get(320 * 90 + 160) & 0xff).isBetween(198, 200);
      assertThat(d.get(320 * 180 + 160 * 45 + 80) & 0xff).isBetween(48, 50);
      assertThat(d.get(320 * 180 + 160 * 90 + 160 * 89 + 159) & 0xff).isBetween(148, 150);

      VideoFrame same = picture.toVideoFrame(null);
      assertThat(same.getWidth()).isEqualTo(642);
      assertThat(same.getStrides()).containsExactly(642, 321, 321);
      assertThat(same.getData().remaining()).isEqualTo(642 * 362 + 2 * 321 * 181);
      assertThat(same.getData().get(642 * 362 + 321 * 181 - 1) & 0xff).isEqualTo(50);
    } finally {
      buffer.release();
    }
  }

  private static void fill(ByteBuffer plane, int value) {
    for (int i = 0; i < plane.capacity(); i++) {
      plane.put(i, (byte) value);
    }
  }
}
