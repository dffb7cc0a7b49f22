package io.capstan.runtime.kafka.stage;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.InvalidTxnTimeoutException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What a failed Kafka call of the stage calls for, after the producer's contract (its javadoc on
 * initTransactions, sendOffsetsToTransaction, commitTransaction and abortTransaction).
 */
enum Recovery {

  /**
   * The call blocked past {@code max.block.ms} (or was interrupted): the request may still be
   * completing, so only the same call may follow ("it is safe to retry, but it is not possible to
   * attempt a different operation").
   */
  RETRY,
  /** The transaction cannot commit but the producer can go on: abort it and replay from the committed offsets. */
  ABORT,
  /**
   * The producer is done for (fenced, its epoch bumped when the coordinator aborted a transaction
   * that outlived its timeout, or in a fatal state): a new one with the same transactional.id, then replay.
   */
  NEW_PRODUCER,
  /** Waiting cannot help (no rights, a broker without transactions, a timeout the broker refuses): the stage ends. */
  PERMANENT;

  static Recovery of(RuntimeException e) {
    if (causedBy(e, AuthorizationException.class, UnsupportedVersionException.class,
        UnsupportedForMessageFormatException.class, InvalidTxnTimeoutException.class, FencedInstanceIdException.class)) {
      return PERMANENT;
    }
    if (e instanceof TimeoutException || e instanceof InterruptException) {
      return RETRY;
    }
    if (e instanceof IllegalStateException || causedBy(e, ProducerFencedException.class,
        InvalidProducerEpochException.class, OutOfOrderSequenceException.class, UnknownProducerIdException.class,
        InvalidTxnStateException.class, TransactionalIdNotFoundException.class, InvalidPidMappingException.class)) {
      return NEW_PRODUCER;
    }
    if (e instanceof KafkaException) {
      return ABORT;
    }
    // Not Kafka's: the producer's state is unknown, so it is not used again.
    return NEW_PRODUCER;
  }

  @SafeVarargs
  private static boolean causedBy(Throwable e, Class<? extends Throwable>... types) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (Class<? extends Throwable> type : types) {
        if (type.isInstance(t)) {
          return true;
        }
      }
    }
    return false;
  }
}
