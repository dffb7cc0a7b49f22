package io.capstan.gateway.whip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PublicationsTest {

  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void watchesForSilenceOnlyWhileThereArePublications() {
    scheduler.setRemoveOnCancelPolicy(true);
    Publications publications = new Publications(new ChannelAnnouncer(() -> null), Duration.ofMillis(400), scheduler);
    assertThat(scheduler.getQueue()).as("no publication, no timer").isEmpty();

    Publication never = new Publication("p1", "k1", "http://relay/p1", "app", "class-1", "7", true, true);
    publications.add(never);
    assertThat(scheduler.getQueue()).as("the silence watch").hasSize(1);

    // never connected: ended after the silence, and the watch stops with the last publication
    await().atMost(Duration.ofSeconds(10)).until(() -> publications.size() == 0 && scheduler.getQueue().isEmpty());
    assertThat(never.ended()).isTrue();

    Publication again = new Publication("p2", "k2", "http://relay/p2", "app", "class-1", "8", true, true);
    publications.add(again);
    assertThat(scheduler.getQueue()).as("a new publication is watched again").hasSize(1);
    await().atMost(Duration.ofSeconds(10)).until(again::ended);
  }
}
