package io.capstan.segmenter.mux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import io.capstan.segmenter.media.Decoded;
import io.capstan.segmenter.media.TestMedia;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Fmp4SlicesTest {

  @TempDir
  Path dir;

  @Test
  void slicesShareOneInitSegmentAndContinueTheClock() throws Exception {
    List<Packet> packets = TestMedia.encode(4, 2);
    int cut = TsMuxerTest.indexOfKeyframeAt(packets, 2_000_000);
    TrackConfig video = TsMuxerTest.firstConfig(packets, MediaKind.VIDEO);
    TrackConfig audio = TsMuxerTest.firstConfig(packets, MediaKind.AUDIO);

    Fmp4Boxes.Split first = Fmp4Boxes.split(Fmp4Slices.mux(video, audio, packets.subList(0, cut)));
    Fmp4Boxes.Split second = Fmp4Boxes.split(Fmp4Slices.mux(video, audio, packets.subList(cut, packets.size())));

    assertThat(second.init()).as("one init segment for the output").isEqualTo(first.init());
    assertThat(new String(first.init(), 4, 4, "ISO-8859-1")).isEqualTo("ftyp");
    assertThat(new String(first.media(), 4, 4, "ISO-8859-1")).isEqualTo("moof");
    long firstStart = -1;
    for (Fmp4Boxes.Split slice : List.of(first, second)) {
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      file.writeBytes(first.init());
      file.writeBytes(slice.media());
      Decoded d = Decoded.of(Files.write(dir.resolve("s" + slice.hashCode() + ".mp4"), file.toByteArray()));
      assertThat(d.firstVideoFrameKey()).isTrue();
      assertThat(d.videoFrames()).isEqualTo(2 * TestMedia.FPS);
      assertThat(d.audioSamples() / (double) TestMedia.SAMPLE_RATE).isCloseTo(2.0, within(0.1));
      assertThat(d.centreRgb()[0]).as("red").isGreaterThan(200);
      if (firstStart < 0) {
        firstStart = d.videoTimestampsUs().get(0);
      } else {
        assertThat(d.videoTimestampsUs().get(0) - firstStart).as("the second slice continues the clock")
            .isCloseTo(2_000_000L, within(2_000L));
      }
    }
  }
}
