package io.capstan.runtime.kafka.stage;

import io.capstan.runtime.kafka.GroupMembership;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.config.ConfigException;
import io.capstan.runtime.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The settings of a service's transactional stage, under the service's prefix:
 * {@code <service>.group.session.timeout}, {@code <service>.transaction.timeout},
 * {@code <service>.transaction.gather} and {@code <service>.group.instance.id}.
 */
public record StageSettings(String service, Setting<Duration> sessionTimeout, Setting<Duration> transactionTimeout,
                            Setting<Duration> gather, Setting<String> groupInstanceId) {

  /** Kafka's 45 s default keeps a crashed instance's recordings waiting that long. */
  public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
  /**
   * A killed instance's open transaction holds back every read_committed reader of its output
   * partitions until the coordinator aborts it (this, plus the broker's
   * transaction.abort.timed.out.transaction.cleanup.interval.ms): it bounds how long a kill stalls
   * the next stage. A transaction lasts one gathering's work (well under a second), or a job's first
   * record's wait for its spec (mixer.spec.wait, 5 s); one cut short by a long broker outage is
   * aborted and replayed.
   */
  public static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);
  /**
   * A live input brings a record every few milliseconds, and a transaction costs the broker five
   * requests, a marker on every partition it wrote and three appends to its own log: one per record
   * was a tenth of a live recording's CPU, one per 50 ms still over half the broker's requests
   * (capstan bench, README). 100 ms of a 500 ms jitter buffer is not felt.
   */
  public static final Duration GATHER = Duration.ofMillis(100);

  public static StageSettings of(String service) {
    return of(service, GATHER);
  }

  /** @param gather the default of {@code <service>.transaction.gather} */
  public static StageSettings of(String service, Duration gather) {
    return new StageSettings(service,
        GroupMembership.sessionTimeout(service, SESSION_TIMEOUT, "recordings"),
        Setting.duration(service + ".transaction.timeout", TRANSACTION_TIMEOUT, "how long a transaction may stay open"
            + " before the broker aborts it: a shorter broker outage is ridden out, after a longer one the recordings"
            + " replay from the committed offsets; a killed instance's open transaction also holds back the readers of"
            + " its output this long (the broker caps it with transaction.max.timeout.ms, 15m by default)"),
        Setting.duration(service + ".transaction.gather", gather, "once records come, how long the stage waits for"
            + " more before one transaction takes them all (at most 200): fewer transactions for the broker, this much"
            + " later output; 0 makes every poll its own transaction"),
        GroupMembership.instanceId(service));
  }

  public List<Setting<?>> list() {
    return List.of(sessionTimeout, transactionTimeout, gather, groupInstanceId);
  }

  /** The stage's options from the configuration, checked. */
  public StageOptions read(Config config, Duration pollTimeout) {
    Duration session = config.get(sessionTimeout);
    Duration transaction = config.get(transactionTimeout);
    if (session.toMillis() < 1000) {
      throw new ConfigException(sessionTimeout.name() + " must be at least 1s, not " + session);
    }
    if (transaction.toMillis() < 1000 || transaction.toMillis() > Integer.MAX_VALUE) {
      throw new ConfigException(transactionTimeout.name() + " must be between 1s and 24d, not " + transaction);
    }
    Duration gathering = config.get(gather);
    if (gathering.isNegative() || gathering.toMillis() > 1000) {
      throw new ConfigException(gather.name() + " must be between 0 and 1s, not " + gathering);
    }
    return StageOptions.of(service, pollTimeout, session, transaction, config.get(groupInstanceId), gathering);
  }
}
