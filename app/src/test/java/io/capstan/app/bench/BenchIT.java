package io.capstan.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.runtime.kafka.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole bench run, tiny: every phase runs, measures what it claims, and the report shows the
 * ratios. No speed is asserted (the targets are goals, and CI machines differ); what is checked is
 * that each figure measures the right thing: output lengths, raw-frame bytes, latency samples.
 */
class BenchIT {

  @Test
  void aSmallRunMeasuresEveryRowAndPrintsTheRatios(@TempDir Path work) throws Exception {
    BenchPlan plan = new BenchPlan(1, 1, 4, 2, 2, 2, new Encoding(1280, 720, 15, 1130, "veryfast", 2), true, 4, 2, 3, work,
        Duration.ofMinutes(5));

    BenchResults r = new Bench(plan, System.err).run();

    for (Measured m : new Measured[] {r.composite, r.ffmpegComposite, r.individual, r.ffmpegRemux,
        r.ffmpegTranscode}) {
      assertThat(m.outputSeconds()).as(m.label() + " output seconds").isBetween(3.5, 4.5);
      assertThat(m.usage().wallSeconds()).as(m.label() + " wall").isPositive();
    }
    assertThat(r.composite.cpuPerOutputSecond()).isPositive();
    assertThat(r.ffmpegComposite.cpuPerOutputSecond()).isPositive();
    assertThat(r.ffmpegTranscode.cpuPerOutputSecond()).isPositive();
    // 4 uids × 15 fps × 345,600 B of I420 = 20.7 MB/s, plus audio (4 × 96 kB/s) and record overhead
    assertThat(r.composite.kafkaBytes().get(Topics.FRAMES.name()) / r.composite.outputSeconds())
        .isBetween(20.7e6, 23e6);
    assertThat(r.composite.kafkaBytes().get(Topics.PACKETS.name())).isPositive();
    assertThat(r.composite.kafkaBytes().get(Topics.FILES.name())).isPositive();
    // the round trip moved exactly the composite's frames: 4 s × 60 frames of 345,600 B, plus batch headers
    assertThat(r.rawFrames.kafkaBytesTotal()).isBetween(240L * 345_600, 240L * 345_600 * 101 / 100);
    assertThat(r.compositePlusRawFrames().cpuPerOutputSecond())
        .isGreaterThan(r.ffmpegComposite.cpuPerOutputSecond());
    for (Measured m : new Measured[] {r.liveCompositeRun, r.ffmpegLiveCompositeBefore, r.ffmpegLiveCompositeAfter,
        r.liveIndividualRun}) {
      assertThat(m.outputSeconds()).as(m.label() + " output seconds").isBetween(3.0, 4.5);
      assertThat(m.cpuPerOutputSecond()).as(m.label() + " CPU").isPositive();
    }
    // FFmpeg's live composite ran before and after Capstan's; its row is both together
    assertThat(r.ffmpegLiveComposite.outputSeconds()).isEqualTo(
        r.ffmpegLiveCompositeBefore.outputSeconds() + r.ffmpegLiveCompositeAfter.outputSeconds());
    assertThat(r.ffmpegLiveComposite.usage().cpuSeconds()).isEqualTo(
        r.ffmpegLiveCompositeBefore.usage().cpuSeconds() + r.ffmpegLiveCompositeAfter.usage().cpuSeconds());
    // (b) live moves the round trip's frames per output second, however long (a) live ran
    assertThat(r.liveCompositePlusRawFrames().kafkaBytesPerOutputSecond())
        .isCloseTo(r.rawFrames.kafkaBytesPerOutputSecond(), org.assertj.core.api.Assertions.withinPercentage(1));
    assertThat(r.liveCompositeRun.kafkaBytes().get(Topics.FRAMES.name()) / r.liveCompositeRun.outputSeconds())
        .as("a live composite moves its frames (the individual run only packets)").isGreaterThan(10e6);
    assertThat(r.liveIndividualRun.kafkaBytes().get(Topics.FRAMES.name())).isLessThan(1_000_000L);
    assertThat(r.composite.brokerRequests()).containsKeys("Produce", "Fetch");
    assertThat(r.liveComposite).isNotEmpty().allSatisfy(ms -> assertThat(ms).isBetween(0.0, 60_000.0));
    assertThat(r.liveIndividual).isNotEmpty();
    assertThat(r.idle.wallSeconds()).as("the idle phase measured its stretch").isGreaterThanOrEqualTo(3);
    // 3 s of idle leave no room for a 15 s watch of the JIT (at most 4 × the idle time): it waits the 3 s alone
    assertThat(r.idleSettle.waited()).isGreaterThanOrEqualTo(Duration.ofSeconds(3)).isLessThan(Duration.ofSeconds(12));
    assertThat(r.idleSettle.state()).isEqualTo(JitQuiet.State.UNCHECKED);
    // the broker's timers and the services' polls both run while nothing records; together no more
    // than the process (whose CPU the kernel counts in 10 ms ticks)
    assertThat(r.idle.brokerCores()).as("the embedded broker's threads").isGreaterThan(0);
    assertThat(r.idle.servicesCores()).as("the services' and clients' threads").isGreaterThan(0);
    assertThat(r.idle.brokerCores() + r.idle.servicesCores()).isLessThanOrEqualTo(r.idle.cores() + 0.01 / 3);
    assertThat(r.rawFramesWarmUp.rounds()).as("warm-up rounds of raw frames").isBetween(1, 2);
    assertThat(r.pipelineWarmUp.rounds()).as("warm-up rounds of recordings").isBetween(1, 2);

    ByteArrayOutputStream text = new ByteArrayOutputStream();
    new Report(r, new PrintStream(text, true, StandardCharsets.UTF_8)).print("header");
    assertThat(text.toString(StandardCharsets.UTF_8))
        .contains("capstan / (a) (CPU per output second)")
        .contains("capstan / (b) (CPU per output second)")
        .contains("capstan / (c) (CPU per output second)")
        .contains("capstan live / (a) live (CPU per output second)")
        .contains("(a) live ran before and after capstan's")
        .contains("broker requests per output second")
        .contains("slice latency, composite")
        .contains("IDLE — every service + broker")
        .contains("warm-up: rounds of 2 s recordings until the JIT settles")
        .contains("PASSTHROUGH: ingest sends each uid");
  }
}
