package io.capstan.runtime.kafka;

import io.capstan.schemas.serde.AvroSerde;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Serializes any catalog record with the serde of its own class, so one producer can write every topic. */
final class CatalogSerializer implements Serializer<SpecificRecord> {

  private final Map<String, Object> configs;
  private final Map<Class<?>, AvroSerde<SpecificRecord>> serdes = new ConcurrentHashMap<>();

  CatalogSerializer(Map<String, Object> configs) {
    this.configs = configs;
  }

  @Override
  @SuppressWarnings("unchecked")
  public byte[] serialize(String topic, SpecificRecord value) {
    if (value == null) {
      return null;
    }
    AvroSerde<SpecificRecord> serde = serdes.computeIfAbsent(value.getClass(),
        type -> AvroSerde.of((Class<SpecificRecord>) type, configs, false));
    return serde.encode(topic, value);
  }
}
