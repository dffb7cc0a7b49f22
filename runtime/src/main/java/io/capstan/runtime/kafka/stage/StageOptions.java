package io.capstan.runtime.kafka.stage;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one transactional stage runs.
 *
 * @param name the stage's name in logs, metrics ({@code stage} tag) and {@code /ready}
 * @param pollTimeout how long one poll waits for records (time-driven work runs at least this often)
 * @param sessionTimeout the consumer group's session timeout: how long a silent instance keeps its partitions
 * @param transactionTimeout how long the coordinator lets a transaction stay open before aborting it
 * @param groupInstanceId static group membership (a restarted instance takes its partitions straight back), or empty
 * @param retryInitial first wait before retrying a failed Kafka call
 * @param retryMax longest wait between retries
 * @param gather once a poll brought records, how long the stage polls for more before one transaction
 *     takes them all (0: every poll its own transaction)
 */
public record StageOptions(String name, Duration pollTimeout, Duration sessionTimeout, Duration transactionTimeout,
                           Optional<String> groupInstanceId, Duration retryInitial, Duration retryMax,
                           Duration gather) {

  public static final Duration RETRY_INITIAL = Duration.ofMillis(100);
  public static final Duration RETRY_MAX = Duration.ofSeconds(5);

  public StageOptions {
    Objects.requireNonNull(name);
    Objects.requireNonNull(pollTimeout);
    Objects.requireNonNull(sessionTimeout);
    Objects.requireNonNull(transactionTimeout);
    groupInstanceId = groupInstanceId.filter(id -> !id.isBlank()).map(String::trim);
    if (retryInitial.isNegative() || retryMax.compareTo(retryInitial) < 0) {
      throw new IllegalArgumentException("retry waits must grow from retryInitial to retryMax");
    }
    if (gather.isNegative()) {
      throw new IllegalArgumentException("gather must not be negative");
    }
  }

  /** A stage with the usual retry waits: 100 ms, doubling, at most 5 s. */
  public static StageOptions of(String name, Duration pollTimeout, Duration sessionTimeout,
                                Duration transactionTimeout, String groupInstanceId, Duration gather) {
    return new StageOptions(name, pollTimeout, sessionTimeout, transactionTimeout,
        Optional.ofNullable(groupInstanceId), RETRY_INITIAL, RETRY_MAX, gather);
  }

  /** The same options with other retry waits. */
  public StageOptions withRetries(Duration initial, Duration max) {
    return new StageOptions(name, pollTimeout, sessionTimeout, transactionTimeout, groupInstanceId, initial, max,
        gather);
  }
}
