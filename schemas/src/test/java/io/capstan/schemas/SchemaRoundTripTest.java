package io.capstan.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class SchemaRoundTripTest {

  @Test
  void everyTopLevelRecordSurvivesSingleObjectEncoding() throws Exception {
    RandomRecords random = new RandomRecords(42);
    for (Class<? extends SpecificRecord> type : TopLevelSchemas.ALL) {
      for (int i = 0; i < 20; i++) {
        roundTrip(type, random);
      }
    }
  }

  private static <T extends SpecificRecord> void roundTrip(Class<T> type, RandomRecords random) throws Exception {
    AvroSerde<T> serde = AvroSerde.of(type, Map.of(), false);
    T original = random.next(type);
    byte[] bytes = serde.serializer().serialize("t", original);
    assertThat(bytes[0]).as("single-object marker").isEqualTo((byte) 0xC3);
    // any Avro single-object reader reads what we write, and we read what Avro writes
    byte[] avros = toArray(encoder(type).encode(original));
    assertThat(bytes).as(type.getSimpleName() + " as Avro's own encoder writes it").isEqualTo(avros);
    T copy = serde.deserializer().deserialize("t", bytes);
    assertThat(copy).as(type.getSimpleName()).isEqualTo(original);

    // a consumer hands the record as a view inside its fetch
    ByteBuffer fetch = ByteBuffer.allocate(bytes.length + 20);
    fetch.position(7);
    fetch.put(bytes);
    ByteBuffer view = fetch.slice(7, bytes.length);
    assertThat(serde.deserializer().deserialize("t", null, view)).as(type.getSimpleName() + " read from a view")
        .isEqualTo(original);
    assertThat(view.position()).isZero();
  }

  private static <T extends SpecificRecord> BinaryMessageEncoder<T> encoder(Class<T> type) {
    return new BinaryMessageEncoder<>(SpecificData.get(), SpecificData.get().getSchema(type));
  }

  private static byte[] toArray(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  @Test
  void nullIsATombstone() {
    AvroSerde<JobSpec> serde = AvroSerde.of(JobSpec.class, Map.of(), false);
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
  }
}
