package io.capstan.runtime.kafka;

import io.capstan.runtime.config.Setting;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;

/**
 * How an instance of a service takes part in its consumer group, the same for every service:
 * incremental (cooperative-sticky) assignment, so only the partitions that move stop; a short
 * session, so a crashed instance's recordings do not wait Kafka's 45 s for a new owner; and, when
 * the operator names the instance, static membership, so a restarted instance takes its
 * partitions straight back without a rebalance.
 */
public final class GroupMembership {

  /** heartbeat.interval.ms of a member that leaves Kafka's default. */
  private static final Duration KAFKA_DEFAULT_HEARTBEAT = Duration.ofSeconds(3);

  private GroupMembership() {
  }

  public static Setting<Duration> sessionTimeout(String service, Duration byDefault, String waiting) {
    return Setting.duration(service + ".group.session.timeout", byDefault, "how long the group waits for a silent"
        + " (crashed) " + service + " before another takes its " + waiting + " over (the broker allows 6s to 5m by"
        + " default)");
  }

  public static Setting<String> instanceId(String service) {
    return Setting.string(service + ".group.instance.id", "", "static group membership: a name unique to this"
        + " instance that it keeps across restarts, so a restarted " + service + " takes its recordings straight back"
        + " (within the session timeout) without a rebalance; empty: dynamic membership");
  }

  /**
   * The consumer settings of a member, heartbeating every quarter of its session; {@code instanceId}
   * empty for dynamic membership.
   */
  public static Map<String, Object> consumerSettings(Duration sessionTimeout, String instanceId) {
    return consumerSettings(sessionTimeout, Duration.ofMillis(Math.max(500, sessionTimeout.toMillis() / 4)),
        instanceId);
  }

  /** The consumer settings of a member that heartbeats every {@code heartbeat}. */
  public static Map<String, Object> consumerSettings(Duration sessionTimeout, Duration heartbeat, String instanceId) {
    long heartbeatMs = heartbeat.toMillis();
    Map<String, Object> settings = new HashMap<>(Map.of(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis(),
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) heartbeatMs,
        ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, retryBackoffMs(heartbeat)));
    if (instanceId != null && !instanceId.isBlank()) {
      settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    }
    return settings;
  }

  /**
   * retry.backoff.ms of a group member heartbeating every {@code heartbeat}. Its heartbeat thread
   * looks whether a heartbeat is due every retry.backoff.ms: at the default 100 ms, ten wake-ups a
   * second per member for one heartbeat every few seconds, most of an idle client's CPU. A quarter of
   * the interval keeps heartbeats on time; failed requests back off from there to
   * retry.backoff.max.ms (1 s) as before.
   */
  public static int retryBackoffMs(Duration heartbeat) {
    return (int) Math.max(50, Math.min(500, heartbeat.toMillis() / 4));
  }

  /** {@link #retryBackoffMs} of a member that leaves heartbeat.interval.ms at Kafka's default. */
  public static int retryBackoffMs() {
    return retryBackoffMs(KAFKA_DEFAULT_HEARTBEAT);
  }
}
