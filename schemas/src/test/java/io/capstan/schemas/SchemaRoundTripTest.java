package io.capstan.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.schemas.serde.AvroSerde;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class SchemaRoundTripTest {

  @Test
  void everyTopLevelRecordSurvivesSingleObjectEncoding() {
    RandomRecords random = new RandomRecords(42);
    for (Class<? extends SpecificRecord> type : TopLevelSchemas.ALL) {
      for (int i = 0; i < 20; i++) {
        roundTrip(type, random);
      }
    }
  }

  private static <T extends SpecificRecord> void roundTrip(Class<T> type, RandomRecords random) {
    AvroSerde<T> serde = AvroSerde.of(type, Map.of(), false);
    T original = random.next(type);
    byte[] bytes = serde.serializer().serialize("t", original);
    assertThat(bytes[0]).as("single-object marker").isEqualTo((byte) 0xC3);
    T copy = serde.deserializer().deserialize("t", bytes);
    assertThat(copy).as(type.getSimpleName()).isEqualTo(original);
  }

  @Test
  void nullIsATombstone() {
    AvroSerde<JobSpec> serde = AvroSerde.of(JobSpec.class, Map.of(), false);
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
  }
}
