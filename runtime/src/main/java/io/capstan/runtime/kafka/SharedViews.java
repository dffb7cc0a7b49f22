package io.capstan.runtime.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;

/**
 * One {@link TopicView} of a topic for all the services of a process. In {@code capstan serve}
 * six services read {@code capstan.jobs}: six views would be six reader threads, six copies of every
 * job's spec and six fetches waiting at the broker for nothing. Each service still opens, starts and
 * closes its view as if it were its own; the last to close one stops the reader they share.
 */
public final class SharedViews implements AutoCloseable {

  private final KafkaClients kafka;
  private final UnaryOperator<String> clientIdOfTopic;
  private final Map<String, TopicView<?>> views = new HashMap<>();

  /** @param clientIdOfTopic the client id of the process's reader of a topic, from the topic's name */
  public SharedViews(KafkaClients kafka, UnaryOperator<String> clientIdOfTopic) {
    this.kafka = kafka;
    this.clientIdOfTopic = clientIdOfTopic;
  }

  /** The process's view of {@code topic}, which the caller closes when done with it. */
  @SuppressWarnings("unchecked")
  public synchronized <V extends SpecificRecord> TopicView<V> open(TopicSpec<V> topic) {
    TopicView<V> first = (TopicView<V>) views.get(topic.name());
    if (first != null) {
      Optional<TopicView<V>> another = first.share();
      if (another.isPresent()) {
        return another.get();
      }
    }
    TopicView<V> view = new TopicView<>(kafka, topic, clientIdOfTopic.apply(topic.name()));
    views.put(topic.name(), view);
    return view;
  }

  /** Stops every view, still held or not: a service that failed to start never closes its own. */
  @Override
  public synchronized void close() {
    views.values().forEach(TopicView::stop);
    views.clear();
  }
}
