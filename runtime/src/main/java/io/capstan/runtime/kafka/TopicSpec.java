package io.capstan.runtime.kafka;

import io.capstan.schemas.serde.AvroSerde;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** A topic and everything about it: name, partitions, broker configs and the Avro type of its values. */
public record TopicSpec<V extends SpecificRecord>(String name, int partitions, Map<String, String> configs,
                                                  Class<V> valueType) {

  public TopicSpec {
    configs = Map.copyOf(configs);
  }

  public AvroSerde<V> serde(Map<String, ?> clientConfigs) {
    return AvroSerde.of(valueType, clientConfigs, false);
  }
}
