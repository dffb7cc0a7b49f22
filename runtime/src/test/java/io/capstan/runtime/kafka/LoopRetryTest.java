package io.capstan.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoopRetryTest {

  private final LoopRetry retry = new LoopRetry("test loop", LoggerFactory.getLogger(LoopRetryTest.class));

  @Test
  void aRoundTheBrokerFailsIsWaitedOutAndTheLoopGoesOn() throws InterruptedException {
    AtomicInteger rounds = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      retry.round(() -> {
        if (rounds.incrementAndGet() < 3) {
          throw new TimeoutException("broker away");
        }
      });
    }
    assertThat(rounds).hasValue(3);
  }

  @Test
  void aWakeUpOrMissingRightsEndIt() {
    assertThatThrownBy(() -> retry.round(() -> {
      throw new WakeupException();
    })).isInstanceOf(WakeupException.class);
    assertThatThrownBy(() -> retry.round(() -> {
      throw new TopicAuthorizationException("no rights");
    })).isInstanceOf(TopicAuthorizationException.class);
  }
}
