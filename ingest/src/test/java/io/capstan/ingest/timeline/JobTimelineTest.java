package io.capstan.ingest.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class JobTimelineTest {

  private final CountDownLatch stop = new CountDownLatch(1);

  private CompletableFuture<Boolean> paceAsync(JobTimeline.Lane lane, long timestampUs) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return lane.pace(timestampUs, stop);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static boolean waits(CompletableFuture<Boolean> pacing) throws Exception {
    try {
      pacing.get(300, TimeUnit.MILLISECONDS);
      return false;
    } catch (TimeoutException e) {
      return true;
    }
  }

  @Test
  void aFastSourceWaitsForTheSlowestOneToComeWithinTheLead() throws Exception {
    JobTimeline timeline = new JobTimeline(0, true);
    JobTimeline.Lane light = timeline.lane();
    JobTimeline.Lane heavy = timeline.lane();
    light.starting();
    heavy.starting();
    assertThat(light.pace(JobTimeline.FAST_LEAD_US, stop)).isTrue();

    CompletableFuture<Boolean> ahead = paceAsync(light, 5_000_000);
    assertThat(waits(ahead)).as("5 s ahead of a source at 0").isTrue();
    assertThat(heavy.pace(3_000_000, stop)).isTrue();
    assertThat(waits(ahead)).as("still 2 s ahead").isTrue();
    assertThat(heavy.pace(4_000_000, stop)).isTrue();
    assertThat(ahead.get(2, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aSourceThatEndsOrFailsHoldsNobodyBack() throws Exception {
    JobTimeline timeline = new JobTimeline(0, true);
    JobTimeline.Lane light = timeline.lane();
    JobTimeline.Lane broken = timeline.lane();
    light.starting();
    broken.starting();
    CompletableFuture<Boolean> ahead = paceAsync(light, 5_000_000);
    assertThat(waits(ahead)).isTrue();
    broken.release();
    assertThat(ahead.get(2, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aSourceThatStartsLaterOnTheTimelineDoesNotHoldTheOthersAtItsStart() throws Exception {
    JobTimeline timeline = new JobTimeline(0, true);
    JobTimeline.Lane early = timeline.lane();
    JobTimeline.Lane late = timeline.lane();
    early.starting();
    late.starting();
    assertThat(early.pace(0, stop)).isTrue();
    // The late one's media begins at 30 s: it waits for the early one, which is not held at 0.
    CompletableFuture<Boolean> waiting = paceAsync(late, 30_000_000);
    assertThat(waits(waiting)).isTrue();
    for (long t = 0; t <= 29_000_000; t += 500_000) {
      assertThat(early.pace(t, stop)).isTrue();
    }
    assertThat(waiting.get(2, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void stopReleasesAWaitingSource() throws Exception {
    JobTimeline timeline = new JobTimeline(0, true);
    JobTimeline.Lane light = timeline.lane();
    timeline.lane().starting();
    light.starting();
    CompletableFuture<Boolean> ahead = paceAsync(light, 5_000_000);
    assertThat(waits(ahead)).isTrue();
    stop.countDown();
    assertThat(ahead.get(2, TimeUnit.SECONDS)).isFalse();
  }
}
