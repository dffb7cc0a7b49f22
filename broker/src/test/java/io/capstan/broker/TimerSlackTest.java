package io.capstan.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

class TimerSlackTest {

  @Test
  void aThreadSetsItsOwnSlackAndTheThreadsItStartsInheritIt() throws Exception {
    OptionalLong before = TimerSlack.ofThisThreadNanos();
    FutureTask<OptionalLong[]> parent = new FutureTask<>(() -> {
      boolean set = TimerSlack.setForThisThread(Duration.ofMillis(70));
      assertThat(set).isTrue();
      FutureTask<OptionalLong> child = new FutureTask<>(TimerSlack::ofThisThreadNanos);
      new Thread(child, "slack-child").start();
      return new OptionalLong[] {TimerSlack.ofThisThreadNanos(), child.get()};
    });
    new Thread(parent, "slack-parent").start();

    OptionalLong[] seen = parent.get();
    assertThat(seen[0]).hasValue(70_000_000L);
    assertThat(seen[1]).hasValue(70_000_000L);
    // the thread that started the parent keeps its own
    assertThat(TimerSlack.ofThisThreadNanos()).isEqualTo(before).isNotEqualTo(OptionalLong.of(70_000_000L));
  }
}
