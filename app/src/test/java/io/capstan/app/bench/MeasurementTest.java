package io.capstan.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasurementTest {

  @Test
  void childCpuIsCutimePlusCstimeOfTheWrapper() {
    String stat = "20081 (bash) R 19932 19932 4954 0 -1 4194304 194 18168 0 1 0 0 141 25 20 0 1 0 496406";

    assertThat(ChildProcesses.childTicks(stat)).isEqualTo(166);
  }

  @Test
  void aCommandWithSpacesAndParenthesesInItsNameStillParses() {
    assertThat(ChildProcesses.childTicks("7 (a (b) c) S 1 1 1 0 -1 0 0 0 0 0 3 4 10 20 20 0 1 0 1")).isEqualTo(30);
  }

  @Test
  void childrenAreMeasuredByTheKernel(@TempDir Path logs) throws Exception {
    // A fixed amount of work (about 0.5 s of CPU here), not a time limit: bash's $SECONDS ticks in whole
    // seconds, so a loop "until one second has passed" may spin for almost nothing.
    List<String> spin = List.of("bash", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done");

    Usage usage = ChildProcesses.runAll(List.of(spin, List.of("sleep", "0.5")), logs, java.time.Duration.ofMinutes(1));

    assertThat(usage.cpuSeconds()).isGreaterThan(0.2);
    assertThat(usage.wallSeconds()).isGreaterThanOrEqualTo(0.5);
    assertThat(usage.peakRssBytes()).as("VmHWM of bash and sleep, summed").isGreaterThan(0);
  }

  @Test
  void aFailingChildSaysWhy(@TempDir Path logs) {
    List<String> failing = List.of("bash", "-c", "echo 'no such input' >&2; exit 3");

    assertThatThrownBy(() -> ChildProcesses.runAll(List.of(failing), logs, java.time.Duration.ofMinutes(1)))
        .hasMessageContaining("exited with 3").hasMessageContaining("no such input");
  }

  @Test
  void playlistsGiveDurationsAndProgramDateTimes() {
    String text = """
        #EXTM3U
        #EXT-X-TARGETDURATION:10
        #EXT-X-PROGRAM-DATE-TIME:2026-11-24T09:00:00.000Z
        #EXTINF:10.000,
        a.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-11-24T09:00:10.000Z
        #EXTINF:4.5,
        b.ts
        #EXT-X-ENDLIST
        """;

    List<Playlists.Entry> entries = Playlists.parse(text);

    assertThat(entries).containsExactly(
        new Playlists.Entry("a.ts", 10_000_000, Instant.parse("2026-11-24T09:00:00Z").toEpochMilli()),
        new Playlists.Entry("b.ts", 4_500_000, Instant.parse("2026-11-24T09:00:10Z").toEpochMilli()));
  }

  @Test
  void sliceLatencyRunsFromTheLastFrameToTheFileBeingWritten(@TempDir Path dir) throws Exception {
    long start = Instant.parse("2026-11-24T09:00:00Z").toEpochMilli();
    Files.writeString(dir.resolve("sid_c.m3u8"), "#EXTM3U\n#EXT-X-PROGRAM-DATE-TIME:2026-11-24T09:00:00.000Z\n"
        + "#EXTINF:2.000,\ns0.ts\n#EXT-X-PROGRAM-DATE-TIME:2026-11-24T09:00:02.000Z\n#EXTINF:2.000,\ns1.ts\n");
    // slice 0 ends at +2000 ms, its last frame at +1933; stored at +2500: 567 ms
    Files.write(dir.resolve("s0.ts"), new byte[1]);
    Files.setLastModifiedTime(dir.resolve("s0.ts"), FileTime.fromMillis(start + 2500));
    Files.write(dir.resolve("s1.ts"), new byte[1]);
    Files.setLastModifiedTime(dir.resolve("s1.ts"), FileTime.fromMillis(start + 5000));

    List<Double> ms = SliceLatency.of(dir, "sid", 15);

    assertThat(ms).hasSize(2);
    assertThat(ms.get(0)).isCloseTo(566.7, within(0.1));
    assertThat(ms.get(1)).isCloseTo(1066.7, within(0.1));
  }

  @Test
  void percentilesAreNearestRank() {
    List<Double> values = List.of(5.0, 1.0, 4.0, 2.0, 3.0);

    assertThat(SliceLatency.percentile(values, 50)).isEqualTo(3.0);
    assertThat(SliceLatency.percentile(values, 99)).isEqualTo(5.0);
    assertThat(SliceLatency.percentile(List.of(), 50)).isNaN();
  }

  @Test
  void bytesTakenInAreCountedPerTopicFromTheBrokersMeter() throws Exception {
    TopicBytesIn before = new TopicBytesIn(Map.of("capstan.frames", 100L, "capstan.packets", 50L));

    assertThat(new TopicBytesIn(Map.of("capstan.frames", 400L, "capstan.packets", 50L)).since(before))
        .containsEntry("capstan.frames", 300L).containsEntry("capstan.packets", 0L);
    assertThat(TopicBytesIn.of(Set.of("capstan.no-such-topic")).counts()).containsEntry("capstan.no-such-topic", 0L);
  }

  @Test
  void aWarmUpHasSettledWhenTheJitTookUnderThreePercentOfARoundsCpu() {
    assertThat(JitWarmUp.shareOf(290, 10_000_000_000L)).isCloseTo(0.029, within(1e-9));
    assertThat(new JitWarmUp.Outcome(4, JitWarmUp.shareOf(290, 10_000_000_000L)).settled()).isTrue();
    assertThat(new JitWarmUp.Outcome(12, 0.08).describe()).contains("12 rounds").contains("not settled");
    assertThat(JitWarmUp.shareOf(5, 0)).isZero();
  }

  @Test
  void threadsOfOneKindShareAGroup() {
    assertThat(ThreadCpu.group("kafka-producer-network-thread | capstan-ingest-producer-3f2a9c1d-7"))
        .isEqualTo(ThreadCpu.group("kafka-producer-network-thread | capstan-ingest-producer-88aa01ff-2"));
    assertThat(ThreadCpu.group("mixer")).isEqualTo("mixer");
  }

  @Test
  void ratiosAreCpuPerOutputSecond() {
    Measured ours = new Measured("ours", 1, 60, new Usage(30, 20, 0), Map.of("capstan.frames", 1_200_000_000L),
        Map.of(), "");
    Measured ffmpeg = new Measured("ffmpeg", 1, 60, new Usage(10, 5, 0), Map.of(), Map.of(), "");

    assertThat(ours.cpuPerOutputSecond()).isEqualTo(0.5);
    assertThat(ours.realtimeFactor()).isEqualTo(3.0);
    assertThat(ours.kafkaBytesPerOutputSecond()).isEqualTo(20_000_000.0);
    assertThat(ours.cpuRatio(ffmpeg)).isEqualTo(3.0);
  }

  @Test
  void ffmpegsProgramDateTimeParsesLikeCapstans() {
    List<Playlists.Entry> ffmpeg = Playlists.parse("#EXTM3U\n#EXT-X-PROGRAM-DATE-TIME:2026-12-06T09:10:27.532+0000\n"
        + "#EXTINF:2.000000,\ncomposite_00000.ts\n");
    List<Playlists.Entry> capstan = Playlists.parse("#EXTM3U\n#EXT-X-PROGRAM-DATE-TIME:2026-12-06T09:10:27.532Z\n"
        + "#EXTINF:2.000,\nslice0.ts\n");

    assertThat(ffmpeg.get(0).programDateTimeMs()).isEqualTo(Instant.parse("2026-12-06T09:10:27.532Z").toEpochMilli())
        .isEqualTo(capstan.get(0).programDateTimeMs());
  }
}
