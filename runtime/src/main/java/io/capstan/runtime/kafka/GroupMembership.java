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

  /** The consumer settings of a member; {@code instanceId} empty for dynamic membership. */
  public static Map<String, Object> consumerSettings(Duration sessionTimeout, String instanceId) {
    long sessionMs = sessionTimeout.toMillis();
    Map<String, Object> settings = new HashMap<>(Map.of(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionMs,
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, sessionMs / 4)));
    if (instanceId != null && !instanceId.isBlank()) {
      settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    }
    return settings;
  }
}
