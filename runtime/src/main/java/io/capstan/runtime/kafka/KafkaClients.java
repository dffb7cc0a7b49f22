package io.capstan.runtime.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds Kafka clients from the operator's pass-through settings plus what Capstan's records need
 * (16 MiB records, idempotence, read_committed, manual commits). Operator settings win.
 */
public final class KafkaClients {

  /**
   * fetch.max.wait.ms of a topic view (reads whole topics, never reassigned, closed without waiting):
   * a fetch waits this long for records before it asks again, and returns at once when one comes.
   */
  public static final int IDLE_FETCH_WAIT_MS = 5000;
  /**
   * fetch.max.wait.ms of every other consumer: a partition a group member is given is fetched only
   * once the fetch in flight returns (what a handover waits at each stage), and close() waits for it.
   */
  public static final int MEMBER_FETCH_WAIT_MS = 1000;
  /**
   * What a producer of raw frames (capstan.frames, ~350 KB a record) sets over the defaults: a batch
   * holds a few frames (a 16 KB batch holds one), and a live source's records wait up to 50 ms for
   * the others' (four uids bring ~60 pictures and ~190 audio blocks a second): one produce request,
   * and one fetch woken, per 50 ms instead of per record. A broker's CPU follows its requests as
   * much as its bytes (~0.4 ms of CPU a request on a 2-core machine): sent one by one, a live
   * composite's records made ~280 produce and ~240 fetch requests a second and the broker the largest
   * cost after x264; at 20 ms, 63 and 63. Measured by {@code capstan bench}: README.
   */
  public static final Map<String, Object> FRAMES_PRODUCER = Map.of(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20,
      ProducerConfig.LINGER_MS_CONFIG, 50);

  private final Map<String, Object> base;

  public KafkaClients(Map<String, Object> base) {
    this.base = Map.copyOf(base);
  }

  public Map<String, Object> base() {
    return base;
  }

  public Map<String, Object> producerConfig(String clientId) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
    c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    c.putAll(base);
    return c;
  }

  public Map<String, Object> consumerConfig(String groupId, String clientId) {
    Map<String, Object> c = new HashMap<>();
    if (groupId != null) {
      c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_RECORD_BYTES);
    c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * Topics.MAX_RECORD_BYTES);
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    // A fetch returns as soon as a record is there (fetch.min.bytes 1); this is only how often an idle
    // consumer asks again. At the default 500 ms a dozen idle consumers keep the broker busy.
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, MEMBER_FETCH_WAIT_MS);
    c.putAll(base);
    return c;
  }

  /** A producer of any of the catalog's value types (the serde is picked per topic). */
  public KafkaProducer<String, SpecificRecord> producer(String clientId) {
    return producer(clientId, Map.of());
  }

  public KafkaProducer<String, SpecificRecord> producer(String clientId, Map<String, Object> extra) {
    Map<String, Object> c = producerConfig(clientId);
    c.putAll(extra);
    return new KafkaProducer<>(c, new StringSerializer(), new CatalogSerializer(c));
  }

  public <V extends SpecificRecord> KafkaConsumer<String, V> consumer(TopicSpec<V> topic, String groupId,
                                                                      String clientId) {
    return consumer(topic, groupId, clientId, Map.of());
  }

  public <V extends SpecificRecord> KafkaConsumer<String, V> consumer(TopicSpec<V> topic, String groupId,
                                                                      String clientId, Map<String, Object> extra) {
    Map<String, Object> c = consumerConfig(groupId, clientId);
    c.putAll(extra);
    return new KafkaConsumer<>(c, new StringDeserializer(), topic.serde(c).deserializer());
  }

  /** Raw bytes producer, for tools that forward records untouched. */
  public KafkaProducer<String, byte[]> bytesProducer(String clientId) {
    return new KafkaProducer<>(producerConfig(clientId), new StringSerializer(), new ByteArraySerializer());
  }

  public static Serdes.StringSerde keySerde() {
    return new Serdes.StringSerde();
  }
}
