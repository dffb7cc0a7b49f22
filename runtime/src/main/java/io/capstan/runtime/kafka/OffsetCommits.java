package io.capstan.runtime.kafka;

import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;

/**
 * Offset commits of the plain (non-transactional) consumer loops. A commit that fails while the
 * broker is away, the group rebalances or the coordinator moves leaves the offsets for the next
 * commit — the records after the last commit are handled again at worst — and never ends the loop.
 * Only what no retry can mend (no rights, a fenced static member) or a wake-up goes on up.
 */
public final class OffsetCommits {

  private OffsetCommits() {
  }

  /** Commits what the consumer has consumed. @return whether it was committed */
  public static boolean commit(Consumer<?, ?> consumer, Logger log) {
    return commit(consumer, null, log);
  }

  /** Commits {@code offsets} (null: what the consumer has consumed). @return whether they were committed */
  public static boolean commit(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets, Logger log) {
    try {
      if (offsets == null) {
        consumer.commitSync();
      } else {
        consumer.commitSync(offsets);
      }
      return true;
    } catch (WakeupException | InterruptException | AuthorizationException | FencedInstanceIdException e) {
      throw e;
    } catch (KafkaException e) {
      log.warn("offsets not committed yet ({}); the next commit covers them", e.toString());
      return false;
    }
  }
}
