package io.capstan.schemas.serde;

import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one generated Avro class. Without a registry it writes Avro's single-object
 * encoding ({@code C3 01} + schema fingerprint + body); with {@code schema.registry.url} set it
 * writes the registry wire format ({@code 00} + schema id + body). Reading accepts both, so a
 * deployment can switch to a registry without draining its topics.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  public static final String REGISTRY_URL = "schema.registry.url";

  static {
    AvroTrust.install();
  }

  private final Class<T> type;
  private SingleObjectCodec<T> singleObject;
  private RegistryCodec<T> registry;
  private boolean useRegistry;

  public AvroSerde(Class<T> type) {
    this.type = type;
    this.singleObject = new SingleObjectCodec<>(type);
  }

  /** A serde configured at once, for code that builds clients by hand. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, Map<String, ?> configs, boolean isKey) {
    AvroSerde<T> serde = new AvroSerde<>(type);
    serde.configure(configs, isKey);
    return serde;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Object url = configs.get(REGISTRY_URL);
    if (url != null && !url.toString().isBlank()) {
      registry = new RegistryCodec<>(type, new SchemaRegistryClient(url.toString(), configs), isKey);
      useRegistry = true;
    }
  }

  public byte[] encode(String topic, T value) {
    if (value == null) {
      return null;
    }
    return useRegistry ? registry.encode(topic, value) : singleObject.encode(value);
  }

  public T decode(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (SingleObjectCodec.matches(bytes)) {
      return singleObject.decode(bytes);
    }
    return decodeRegistry(topic, bytes);
  }

  /**
   * Reads a record where the consumer holds it (a view of its fetch), without the copy into an
   * array Kafka makes for a deserializer that takes one: a raw frame is copied once, not twice.
   */
  public T decode(String topic, ByteBuffer bytes) {
    if (bytes == null) {
      return null;
    }
    if (SingleObjectCodec.matches(bytes)) {
      return singleObject.decode(bytes);
    }
    byte[] copy = new byte[bytes.remaining()];
    bytes.duplicate().get(copy);
    return decodeRegistry(topic, copy);
  }

  private T decodeRegistry(String topic, byte[] bytes) {
    if (RegistryCodec.matches(bytes)) {
      if (registry == null) {
        throw new SerdeException("record on " + topic + " is in the registry wire format, but "
            + REGISTRY_URL + " is not set");
      }
      return registry.decode(bytes);
    }
    throw new SerdeException("record on " + topic + " is neither Avro single-object encoded nor in the"
        + " registry wire format (" + (bytes.length == 0 ? "empty" : "first byte 0x"
        + Integer.toHexString(bytes[0] & 0xff)) + ")");
  }

  @Override
  public Serializer<T> serializer() {
    return this::encode;
  }

  @Override
  public Deserializer<T> deserializer() {
    return new Deserializer<>() {
      @Override
      public T deserialize(String topic, byte[] data) {
        return decode(topic, data);
      }

      @Override
      public T deserialize(String topic, Headers headers, ByteBuffer data) {
        return decode(topic, data);
      }
    };
  }
}
