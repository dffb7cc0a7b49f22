package io.capstan.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OffsetCommitsTest {

  private static final TopicPartition TP = new TopicPartition("t", 0);

  /** A consumer whose commits fail with {@code failure} while it is set. */
  private static final class FailingConsumer extends MockConsumer<String, String> {
    final AtomicReference<KafkaException> failure = new AtomicReference<>();

    FailingConsumer() {
      super("earliest");
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      KafkaException e = failure.get();
      if (e != null) {
        throw e;
      }
      super.commitSync(offsets);
    }
  }

  @Test
  void aBrokerAwayOrARebalanceLeavesTheOffsetsForTheNextCommit() {
    FailingConsumer consumer = new FailingConsumer();
    consumer.assign(java.util.List.of(TP));
    var log = LoggerFactory.getLogger(OffsetCommitsTest.class);
    for (KafkaException transient_ : new KafkaException[] {new TimeoutException("broker away"),
        new CommitFailedException("rebalanced"), new KafkaException("coordinator moved")}) {
      consumer.failure.set(transient_);
      assertThat(OffsetCommits.commit(consumer, Map.of(TP, new OffsetAndMetadata(5)), log)).isFalse();
    }
    consumer.failure.set(null);
    assertThat(OffsetCommits.commit(consumer, Map.of(TP, new OffsetAndMetadata(9)), log)).isTrue();
    assertThat(consumer.committed(java.util.Set.of(TP)).get(TP).offset()).isEqualTo(9);
  }

  @Test
  void whatNoRetryMendsGoesOnUp() {
    FailingConsumer consumer = new FailingConsumer();
    var log = LoggerFactory.getLogger(OffsetCommitsTest.class);
    consumer.failure.set(new TopicAuthorizationException("no rights"));
    assertThatThrownBy(() -> OffsetCommits.commit(consumer, Map.of(TP, new OffsetAndMetadata(1)), log))
        .isInstanceOf(TopicAuthorizationException.class);
    consumer.failure.set(new WakeupException());
    assertThatThrownBy(() -> OffsetCommits.commit(consumer, Map.of(TP, new OffsetAndMetadata(1)), log))
        .isInstanceOf(WakeupException.class);
  }
}
