package io.capstan.runtime.kafka.stage;

import io.capstan.runtime.kafka.GroupMembership;
import io.capstan.runtime.kafka.TopicSpec;
import io.capstan.runtime.service.ServiceContext;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Where a stage gets its clients: one consumer, and a new transactional producer whenever it needs one. */
public interface StageClients<V> {

  /**
   * linger.ms of a stage's producer: a transaction's records are read (read_committed) only once it
   * commits, and the commit sends whatever lingers, so lingering delays no record; it makes one
   * produce request of a transaction's records instead of one per record.
   */
  int TRANSACTION_LINGER_MS = 1000;

  /** The stage's consumer (subscribed by the stage). */
  Consumer<String, V> consumer();

  /**
   * A new, uninitialised transactional producer. Every one has the same {@code transactional.id},
   * so initialising a new one fences the one before and aborts its open transaction.
   */
  Producer<String, SpecificRecord> producer();

  /**
   * Real clients: a read_committed consumer of {@code topic} in {@code group} with the stage's
   * session timeout, cooperative-sticky assignment and static membership if configured, and
   * producers whose transactional.id is {@code capstan-<service>-<group.instance.id or instance id>}
   * (so a restarted static member aborts its previous incarnation's open transaction at once).
   *
   * @param outputRole names the producer's client id ({@code capstan-<service>-<outputRole>-<instance>})
   */
  static <V extends SpecificRecord> StageClients<V> kafka(ServiceContext context, TopicSpec<V> topic, String group,
                                                          String service, String outputRole, StageOptions options) {
    String transactionalId = "capstan-" + service + "-" + options.groupInstanceId().orElse(context.instanceId());
    String topicRole = topic.name().substring(topic.name().lastIndexOf('.') + 1);
    Map<String, Object> consumerConfig = GroupMembership.consumerSettings(options.sessionTimeout(),
        options.groupInstanceId().orElse(""));
    Map<String, Object> producerConfig = Map.of(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) options.transactionTimeout().toMillis(),
        ProducerConfig.LINGER_MS_CONFIG, TRANSACTION_LINGER_MS);
    return new StageClients<>() {
      @Override
      public Consumer<String, V> consumer() {
        return context.kafka().consumer(topic, group, context.clientId(service, topicRole), consumerConfig);
      }

      @Override
      public Producer<String, SpecificRecord> producer() {
        return context.kafka().producer(context.clientId(service, outputRole), producerConfig);
      }
    };
  }
}
