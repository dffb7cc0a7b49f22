package io.capstan.app.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * The bytes the broker holds per partition of some topics (Admin.describeLogDirs): what the
 * pipeline wrote to Kafka during a phase is the difference of two snapshots. Retention deleting a
 * segment in between would make a partition shrink; {@link #since} reports that instead of a
 * wrong number.
 */
public record LogSizes(Map<TopicPartition, Long> sizes) {

  public static LogSizes of(Admin admin, Set<String> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    List<Integer> brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id).toList();
    Map<TopicPartition, Long> sizes = new HashMap<>();
    for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions()
        .get(30, TimeUnit.SECONDS).values()) {
      for (LogDirDescription dir : dirs.values()) {
        for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
          if (topics.contains(replica.getKey().topic()) && !replica.getValue().isFuture()) {
            sizes.merge(replica.getKey(), replica.getValue().size(), Long::sum);
          }
        }
      }
    }
    return new LogSizes(sizes);
  }

  /** Bytes added per topic since {@code before}. @throws IllegalStateException when a partition shrank */
  public Map<String, Long> since(LogSizes before) {
    Map<String, Long> added = new HashMap<>();
    sizes.forEach((tp, size) -> {
      long delta = size - before.sizes.getOrDefault(tp, 0L);
      if (delta < 0) {
        throw new IllegalStateException(tp + " shrank by " + (-delta) + " bytes during the phase (retention deleted "
            + "a segment): its bytes cannot be counted; run fewer jobs or seconds");
      }
      added.merge(tp.topic(), delta, Long::sum);
    });
    return added;
  }
}
