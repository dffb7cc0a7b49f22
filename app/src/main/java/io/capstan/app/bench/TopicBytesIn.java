package io.capstan.app.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The bytes the in-process broker has taken in per topic (its {@code BytesInPerSec} meter's count,
 * read over JMX): what the pipeline wrote to Kafka during a phase is the difference of two
 * snapshots. A counter, unlike the log's size, which shrinks when retention deletes a segment
 * during a long phase.
 */
public record TopicBytesIn(Map<String, Long> counts) {

  private static final String METER = "kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,topic=";

  public static TopicBytesIn of(Set<String> topics) throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Map<String, Long> counts = new HashMap<>();
    for (String topic : topics) {
      try {
        counts.put(topic, ((Number) server.getAttribute(new ObjectName(METER + topic), "Count")).longValue());
      } catch (InstanceNotFoundException e) {
        counts.put(topic, 0L); // the broker registers a topic's meter at its first write
      }
    }
    return new TopicBytesIn(counts);
  }

  /** Bytes taken in per topic since {@code before}. */
  public Map<String, Long> since(TopicBytesIn before) {
    Map<String, Long> added = new HashMap<>();
    counts.forEach((topic, count) -> added.put(topic, count - before.counts.getOrDefault(topic, 0L)));
    return added;
  }
}
