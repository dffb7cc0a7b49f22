package io.capstan.mixer.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventClockTest {

  /** The leader moves with the wall clock: at wall ms t it is at t ms of the timeline. */
  private static void lead(EventClock clock, long nowMs) {
    clock.leader(nowMs * 1000, nowMs);
  }

  @Test
  void aLaggardIsWaitedForOnlyAsLongAsTheBufferAtFirst() {
    EventClock clock = new EventClock(true, 500, 3000);
    for (long t = 0; t <= 5000; t += 100) {
      lead(clock, t);
    }
    // The laggard's watermark is at 3.5 s: the frontier is the leader 0.5 s ago.
    assertThat(clock.frontier(3_500_000, 5000)).isEqualTo(4_500_000);
  }

  @Test
  void aLateRecordGrowsTheBufferToTheLagOfItsUid() {
    EventClock clock = new EventClock(true, 500, 3000);
    for (long t = 0; t <= 5000; t += 100) {
      lead(clock, t);
    }
    clock.frontier(3_500_000, 5000);
    clock.late(3_500_000, 5000); // 1.5 s behind the leader
    assertThat(clock.jitterMs()).isEqualTo(1500 + EventClock.MARGIN_MS);
    for (long t = 5100; t <= 8000; t += 100) {
      lead(clock, t);
      // The laggard keeps its 1.5 s lag: the frontier now waits for it.
      assertThat(clock.frontier((t - 1500) * 1000, t)).isEqualTo((t - 1500) * 1000);
    }
    // The same lag again does not grow it further.
    clock.late(6_500_000, 8000);
    assertThat(clock.jitterMs()).isEqualTo(1500 + EventClock.MARGIN_MS);
  }

  @Test
  void theBufferNeverGrowsPastItsMaximum() {
    EventClock clock = new EventClock(true, 500, 3000);
    for (long t = 0; t <= 20_000; t += 100) {
      lead(clock, t);
    }
    clock.late(1_000_000, 20_000); // 19 s behind: lost anyway
    assertThat(clock.jitterMs()).isEqualTo(3000);
  }

  @Test
  void aQuietSpellShrinksTheBufferBackToItsStart() {
    EventClock clock = new EventClock(true, 500, 3000);
    lead(clock, 10_000);
    clock.late(7_500_000, 10_000);
    assertThat(clock.jitterMs()).isEqualTo(2600);
    clock.frontier(Long.MIN_VALUE, 10_000 + EventClock.QUIET_MS - 1);
    assertThat(clock.jitterMs()).isEqualTo(2600);
    long now = 10_000;
    for (int step = 0; step < 12; step++) {
      now += EventClock.QUIET_MS;
      clock.frontier(Long.MIN_VALUE, now);
    }
    assertThat(clock.jitterMs()).isEqualTo(500);
  }

  @Test
  void fastJobsAndAFixedBufferIgnoreLateRecords() {
    EventClock fast = new EventClock(false, 500, 3000);
    lead(fast, 5000);
    fast.late(1_000_000, 5000);
    assertThat(fast.jitterMs()).isEqualTo(500);
    EventClock fixed = new EventClock(true, 500);
    lead(fixed, 5000);
    fixed.late(1_000_000, 5000);
    assertThat(fixed.jitterMs()).isEqualTo(500);
  }
}
