package io.capstan.segmenter.mux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import io.capstan.segmenter.media.Decoded;
import io.capstan.segmenter.media.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsMuxerTest {

  @TempDir
  Path dir;

  @Test
  void twoSlicesMuxedInMemoryEachStartAtAKeyframeAndPlay() throws Exception {
    List<Packet> packets = TestMedia.encode(4, 2);
    int cut = indexOfKeyframeAt(packets, 2_000_000);
    TrackConfig video = firstConfig(packets, MediaKind.VIDEO);
    TrackConfig audio = firstConfig(packets, MediaKind.AUDIO);

    byte[] first = TsSlices.mux(video, audio, packets.subList(0, cut));
    byte[] second = TsSlices.mux(video, audio, packets.subList(cut, packets.size()));

    assertThat(first[0]).as("MPEG-TS sync byte").isEqualTo((byte) 0x47);
    assertThat(first.length % 188).isZero();
    for (byte[] slice : List.of(first, second)) {
      Path file = Files.write(dir.resolve("slice" + slice.hashCode() + ".ts"), slice);
      Decoded d = Decoded.of(file);
      assertThat(d.firstVideoFrameKey()).as("first video frame is a keyframe").isTrue();
      assertThat(d.videoFrames()).isEqualTo(2 * TestMedia.FPS);
      assertThat(d.videoSpanUs()).isCloseTo((2 * TestMedia.FPS - 1) * 1_000_000L / TestMedia.FPS, within(2_000L));
      assertThat(d.audioSamples() / (double) TestMedia.SAMPLE_RATE).as("seconds of audio").isCloseTo(2.0, within(0.1));
      assertThat(d.audioPeak()).as("the tone is audible").isGreaterThan(0.3);
      assertThat(d.centreRgb()[0]).as("red").isGreaterThan(200);
      assertThat(d.centreRgb()[1]).as("green").isLessThan(60);
      assertThat(d.centreRgb()[2]).as("blue").isLessThan(60);
    }
    Decoded second2 = Decoded.of(Files.write(dir.resolve("second.ts"), second));
    assertThat(second2.videoTimestampsUs().get(0) - Decoded.of(Files.write(dir.resolve("first.ts"), first))
        .videoTimestampsUs().get(0)).as("the second slice continues the first's clock").isCloseTo(2_000_000L, within(2_000L));
  }

  @Test
  void aSliceOfAFewFramesOpenedAloneIsStillReadAsMpegTs() throws Exception {
    // a recording stopped a frame or two after a slice began; 640x360 red, as in a WebRTC uid's own file
    List<Packet> packets = TestMedia.encode(4, 2, 640, 360, 0);
    List<Packet> video = packets.stream().filter(p -> p.getKind() == MediaKind.VIDEO).toList();
    List<Packet> audio = packets.stream().filter(p -> p.getKind() == MediaKind.AUDIO).toList();
    int cut = indexOfKeyframeAt(video, 2_000_000);
    for (int frames = 1; frames <= 4; frames++) {
      byte[] slice = TsSlices.mux(firstConfig(packets, MediaKind.VIDEO), null, video.subList(cut, cut + frames));
      assertThat(slice.length % 188).isZero();
      Decoded d = Decoded.of(Files.write(dir.resolve("video" + frames + ".ts"), slice));
      assertThat(d.videoFrames()).as("pictures in a slice of %d frames", frames).isEqualTo(frames);
      assertThat(d.centreRgb()[0]).as("red").isGreaterThan(200);
    }
    for (int blocks = 1; blocks <= 4; blocks++) {
      byte[] slice = TsSlices.mux(null, firstConfig(packets, MediaKind.AUDIO), audio.subList(40, 40 + blocks));
      Decoded d = Decoded.of(Files.write(dir.resolve("audio" + blocks + ".ts"), slice));
      assertThat(d.audioSamples()).as("sound in a slice of %d AAC blocks", blocks).isPositive();
    }
  }

  @Test
  void closingWithoutFinishingFreesTheMuxer() {
    List<Packet> packets = TestMedia.encode(1, 1);
    try (TsMuxer muxer = new TsMuxer(firstConfig(packets, MediaKind.VIDEO), null)) {
      Packet p = packets.stream().filter(x -> x.getKind() == MediaKind.VIDEO).findFirst().orElseThrow();
      muxer.write(p.getKind(), p.getPtsUs(), p.getDtsUs(), p.getDurationUs(), p.getKey(), p.getData());
    }
  }

  static int indexOfKeyframeAt(List<Packet> packets, long ptsUs) {
    for (int i = 0; i < packets.size(); i++) {
      Packet p = packets.get(i);
      if (p.getKind() == MediaKind.VIDEO && p.getKey() && p.getPtsUs() == ptsUs) {
        return i;
      }
    }
    throw new AssertionError("no keyframe at " + ptsUs);
  }

  static TrackConfig firstConfig(List<Packet> packets, MediaKind kind) {
    return packets.stream().filter(p -> p.getKind() == kind && p.getConfig() != null).findFirst().orElseThrow()
        .getConfig();
  }
}
