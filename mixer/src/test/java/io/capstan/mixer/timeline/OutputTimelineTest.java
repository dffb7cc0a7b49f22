package io.capstan.mixer.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class OutputTimelineTest {

  @Test
  void framesAndSamplesOnTheJobTimeline() {
    OutputTimeline t = new OutputTimeline(15, 2);
    assertThat(t.videoTimeUs(0)).isZero();
    assertThat(t.videoTimeUs(1)).isEqualTo(66_666);
    assertThat(t.videoTimeUs(30)).isEqualTo(2_000_000);
    assertThat(t.frameAtOrAfter(0)).isZero();
    assertThat(t.frameAtOrAfter(66_666)).isEqualTo(1);
    assertThat(t.frameAtOrAfter(66_667)).isEqualTo(2);
    assertThat(t.frameAtOrAfter(3_000_000)).isEqualTo(45);
    assertThat(OutputTimeline.audioTimeUs(1024)).isEqualTo(21_333);
    assertThat(OutputTimeline.sampleAtOrAfter(21_334)).isEqualTo(1025);
    assertThat(OutputTimeline.nearestSample(21_333)).isEqualTo(1024);
  }

  @Test
  void sliceStartsAreTheFirstFramesAtOrAfterEachBoundary() {
    OutputTimeline t = new OutputTimeline(15, 2);
    assertThat(LongStream.range(0, 100).filter(t::startsSlice)).containsExactly(0L, 30L, 60L, 90L);
    // 7 fps, 1 s slices: 1e6/7 does not divide a second; the first frame at or after k s
    OutputTimeline seven = new OutputTimeline(7, 1);
    assertThat(LongStream.range(0, 22).filter(seven::startsSlice)).containsExactly(0L, 7L, 14L, 21L);
  }

  @Test
  void fastClockWaitsForTheSlowestWatermarkOnly() {
    EventClock clock = new EventClock(false, 500);
    clock.leader(2_000_000, 0);
    assertThat(clock.frontier(100_000, 10_000)).isEqualTo(100_000);
    assertThat(clock.frontier(Long.MAX_VALUE, 10_000)).isEqualTo(2_000_000);
  }

  @Test
  void liveClockStopsWaitingForALaggardAfterTheJitterBuffer() {
    EventClock clock = new EventClock(true, 500);
    clock.leader(1_000_000, 1_000);
    clock.leader(1_200_000, 1_200);
    assertThat(clock.frontier(0, 1_400)).isZero();
    // the leader has been at 1.0 s for 500 ms of wall clock
    assertThat(clock.frontier(0, 1_500)).isEqualTo(1_000_000);
    assertThat(clock.frontier(0, 1_699)).isEqualTo(1_000_000);
    assertThat(clock.frontier(0, 1_700)).isEqualTo(1_200_000);
    // a laggard that catches up is waited for again
    assertThat(clock.frontier(1_500_000, 1_700)).isEqualTo(1_500_000);
  }
}
