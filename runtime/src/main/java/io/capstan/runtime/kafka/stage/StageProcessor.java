package io.capstan.runtime.kafka.stage;

import java.util.Collection;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * What a service does inside a {@link TransactionalStage}. Every method runs on the stage's one
 * thread. A partition's state is built from its committed offset (and that offset's metadata) and
 * the records after it; whenever output built since then is thrown away, the stage says so
 * ({@link #reset}) and the records come again.
 *
 * @param <V> the consumed record values
 */
public interface StageProcessor<V> {

  /**
   * Processes one poll's records (possibly none: time-driven work) inside the open transaction.
   * All output goes through {@code producer}, which is only good for this call: after a fence the
   * stage uses a new one.
   *
   * @return the offsets this transaction commits (the next offset to read, with the metadata a
   *     successor needs to resume); empty to commit none
   * @throws org.apache.kafka.common.KafkaException when the output cannot be produced: the stage
   *     aborts the transaction and resets. Any other exception is a bug and ends the stage.
   */
  Map<TopicPartition, OffsetAndMetadata> process(ConsumerRecords<String, V> records,
                                                 Producer<String, SpecificRecord> producer);

  /** The last {@link #process} call's transaction committed, with these offsets. */
  default void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
  }

  /**
   * These partitions are now this instance's. Their records come from the committed offsets given
   * (a partition never committed maps to null and is read from its beginning).
   */
  void assigned(Map<TopicPartition, OffsetAndMetadata> committed);

  /**
   * Output not committed yet was thrown away (an aborted transaction, or a fenced producer's):
   * forget what was built for these partitions since their committed offsets (given, null when
   * never committed); their records come again from there.
   */
  void reset(Map<TopicPartition, OffsetAndMetadata> committed);

  /** These partitions went to another instance (or were lost): drop their state. */
  void revoked(Collection<TopicPartition> partitions);

  /**
   * True while nothing is to be done by the clock (no jobs): the stage then polls less often and
   * opens no transaction for an empty poll, so an idle instance costs next to no CPU.
   */
  default boolean idle() {
    return false;
  }

  /** The stage stopped: nothing more comes. */
  default void stopped() {
  }
}
