package io.capstan.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A SendSession publishing into a ReceiveSession in one JVM, over real libwebrtc and UDP. */
class LoopbackTest {

  // Orange-ish: far from grey in every plane, so a swapped plane shows.
  static final TestPattern PATTERN = new TestPattern(320, 240, 15, 150, 60, 200, 440);

  @ParameterizedTest
  @ValueSource(strings = {"VP8", "H264"})
  void whipStyleOfferReachesTheReceiverWithItsColourAndTone(String codec) throws Exception {
    Collector received = new Collector();
    Collector sender = new Collector();
    try (SendSession send = SendSession.offer(RtcSettings.defaults(), PATTERN.copy(), codec, sender);
        ReceiveSession receive = ReceiveSession.answer(RtcSettings.defaults(), send.localSdp(), ReceiveOptions.BOTH, received, received)) {
      assertThat(firstVideoCodec(receive.localSdp())).isEqualToIgnoringCase(codec);
      send.acceptAnswer(receive.localSdp());

      await().atMost(Duration.ofSeconds(20)).until(() -> received.connects.get() == 1 && sender.connects.get() == 1);
      assertThat(receive.isConnected()).isTrue();
      await().atMost(Duration.ofSeconds(20)).until(() -> received.pictures.get() >= 15 && received.chunks.get() >= 200);

      assertThat(received.last().getWidth()).isEqualTo(320);
      assertThat(received.last().getHeight()).isEqualTo(240);
      assertThat(received.centre()).satisfies(yuv -> {
        assertThat(yuv[0]).isCloseTo(150, org.assertj.core.data.Offset.offset(10));
        assertThat(yuv[1]).isCloseTo(60, org.assertj.core.data.Offset.offset(10));
        assertThat(yuv[2]).isCloseTo(200, org.assertj.core.data.Offset.offset(10));
      });
      assertThat(received.rate()).isEqualTo(48_000);
      assertThat(received.frequency()).isCloseTo(440, org.assertj.core.data.Offset.offset(20.0));
      assertThat(received.failures).isEmpty();
    }
  }

  /** The codec of the first payload type on the m=video line of an SDP. */
  static String firstVideoCodec(String sdp) {
    String pt = null;
    for (String line : sdp.split("\r\n")) {
      if (line.startsWith("m=video")) {
        pt = line.split(" ")[3];
      } else if (pt != null && line.startsWith("a=rtpmap:" + pt + " ")) {
        return line.split(" ")[1].split("/")[0];
      }
    }
    return null;
  }
}
