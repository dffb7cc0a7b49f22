package io.capstan.segmenter.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.capstan.schemas.Packet;
import io.capstan.segmenter.media.Decoded;
import io.capstan.segmenter.media.TestMedia;
import io.capstan.segmenter.mux.Mp4Muxer;
import io.capstan.segmenter.naming.FileNames;
import io.capstan.segmenter.naming.TrackSet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4OutputTest {

  private static final long T0 = 1_795_000_000_000L;
  private static final int CHUNK = 16 * 1024;

  @TempDir
  Path dir;

  @Test
  void splitsAtTheFirstKeyframePastTheLimitAndEveryFileDecodes() throws Exception {
    List<Packet> packets = TestMedia.encode(9, 1);
    List<Mp4Chunk> chunks = run(packets, 3_500_000);

    Map<String, ByteArrayOutputStream> files = assemble(chunks);
    assertThat(files.keySet()).containsExactly(FileNames.compositeMp4("s", "c", T0, 0),
        FileNames.compositeMp4("s", "c", T0 + 4000, 1), FileNames.compositeMp4("s", "c", T0 + 8000, 2));
    int[] frames = {4 * TestMedia.FPS, 4 * TestMedia.FPS, TestMedia.FPS};
    int i = 0;
    for (Map.Entry<String, ByteArrayOutputStream> file : files.entrySet()) {
      byte[] bytes = file.getValue().toByteArray();
      String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1);
      assertThat(head.substring(4, 8)).as("starts with ftyp").isEqualTo("ftyp");
      assertThat(head.indexOf("moov")).as("moov up front, before the first fragment").isPositive()
          .isLessThan(head.indexOf("moof"));
      Decoded d = Decoded.of(Files.write(dir.resolve(file.getKey()), bytes));
      assertThat(d.firstVideoFrameKey()).as(file.getKey()).isTrue();
      assertThat(d.videoFrames()).as(file.getKey()).isEqualTo(frames[i]);
      assertThat(d.videoTimestampsUs().get(0)).as("each file starts at 0").isLessThan(1_000L);
      assertThat(d.audioSamples() / (double) TestMedia.SAMPLE_RATE).as(file.getKey() + " seconds of audio")
          .isCloseTo(frames[i] / (double) TestMedia.FPS, within(0.1));
      assertThat(d.audioPeak()).isGreaterThan(0.3);
      assertThat(d.centreRgb()[0]).as("red").isGreaterThan(200);
      i++;
    }
    assertThat(chunks).allMatch(c -> c.data().length <= CHUNK);
    assertThat(chunks.stream().filter(Mp4Chunk::last).map(Mp4Chunk::durationSeconds).toList())
        .satisfiesExactly(d -> assertThat(d).isCloseTo(4.0, within(0.05)), d -> assertThat(d).isCloseTo(4.0, within(0.05)),
            d -> assertThat(d).isCloseTo(1.0, within(0.05)));
  }

  @Test
  void theSamePacketsMakeTheSameBytes() {
    List<Packet> packets = TestMedia.encode(3, 1);
    List<Mp4Chunk> first = run(packets, 2_000_000);
    List<Mp4Chunk> second = run(packets, 2_000_000);
    assertThat(second).hasSameSizeAs(first);
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).data()).as("chunk " + i + " is made again byte for byte").isEqualTo(first.get(i).data());
      assertThat(second.get(i).offset()).isEqualTo(first.get(i).offset());
    }
  }

  @Test
  void continuesTheIndexItIsGivenAndPendsOnTheOpenFile() {
    List<Packet> packets = TestMedia.encode(2, 1);
    try (Mp4Output out = new Mp4Output((utc, n) -> FileNames.compositeMp4("s", "c", utc, n), TrackSet.AV,
        60_000_000, T0, 4, CHUNK, Mp4Muxer::new)) {
      assertThat(out.pendingOffset()).isEqualTo(-1);
      List<Mp4Chunk> chunks = new ArrayList<>();
      for (int i = 0; i < packets.size(); i++) {
        chunks.addAll(out.accept(packets.get(i), 100 + i));
      }
      assertThat(out.pendingIndex()).isEqualTo(4);
      assertThat(out.pendingOffset()).as("the first record of the open file")
          .isEqualTo(100 + indexOfFirstKey(packets));
      chunks.addAll(out.end());
      assertThat(chunks).extracting(Mp4Chunk::fileName).containsOnly(FileNames.compositeMp4("s", "c", T0, 4));
      assertThat(out.pendingOffset()).isEqualTo(-1);
    }
  }

  private static int indexOfFirstKey(List<Packet> packets) {
    for (int i = 0; i < packets.size(); i++) {
      if (packets.get(i).getKind() == io.capstan.schemas.MediaKind.VIDEO && packets.get(i).getKey()) {
        return i;
      }
    }
    throw new AssertionError("no keyframe");
  }

  private static List<Mp4Chunk> run(List<Packet> packets, long maxUs) {
    List<Mp4Chunk> chunks = new ArrayList<>();
    try (Mp4Output out = new Mp4Output((utc, n) -> FileNames.compositeMp4("s", "c", utc, n), TrackSet.AV, maxUs,
        T0, 0, CHUNK, Mp4Muxer::new)) {
      long offset = 0;
      for (Packet p : packets) {
        chunks.addAll(out.accept(p, offset++));
      }
      chunks.addAll(out.end());
    }
    return chunks;
  }

  static Map<String, ByteArrayOutputStream> assemble(List<Mp4Chunk> chunks) {
    Map<String, ByteArrayOutputStream> files = new LinkedHashMap<>();
    for (Mp4Chunk c : chunks) {
      ByteArrayOutputStream out = files.computeIfAbsent(c.fileName(), n -> new ByteArrayOutputStream());
      assertThat(c.offset()).as("chunks of " + c.fileName() + " follow each other").isEqualTo(out.size());
      out.writeBytes(c.data());
    }
    for (String name : files.keySet()) {
      assertThat(chunks.stream().filter(c -> c.fileName().equals(name) && c.last()).count())
          .as(name + " has one last chunk").isEqualTo(1);
      Mp4Chunk last = chunks.stream().filter(c -> c.fileName().equals(name)).reduce((a, b) -> b).orElseThrow();
      assertThat(last.last()).as(name + " ends with its last chunk").isTrue();
    }
    return files;
  }
}
