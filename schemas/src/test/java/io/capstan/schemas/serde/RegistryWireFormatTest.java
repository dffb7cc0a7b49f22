package io.capstan.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.schemas.StreamAnnouncement;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryWireFormatTest {

  private final StreamAnnouncement announcement = StreamAnnouncement.newBuilder()
      .setChannel("class-7").setUid("1001").setUrl("rtmp://127.0.0.1/live/1001").setUpdatedUtcMs(1_700_000_000_000L)
      .build();

  @Test
  void withARegistryRecordsCarryMagicByteAndSchemaId() throws Exception {
    try (FakeSchemaRegistry registry = new FakeSchemaRegistry()) {
      Map<String, String> config = Map.of(AvroSerde.REGISTRY_URL, registry.url());
      AvroSerde<StreamAnnouncement> writer = AvroSerde.of(StreamAnnouncement.class, config, false);
      byte[] bytes = writer.serializer().serialize("capstan.channels", announcement);

      assertThat(bytes[0]).isZero();
      int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
      assertThat(id).isPositive();
      assertThat(registry.requests).contains("POST /subjects/capstan.channels-value/versions");

      AvroSerde<StreamAnnouncement> reader = AvroSerde.of(StreamAnnouncement.class, config, false);
      assertThat(reader.deserializer().deserialize("capstan.channels", bytes)).isEqualTo(announcement);
      assertThat(registry.requests).contains("GET /schemas/ids/" + id);
    }
  }

  @Test
  void theSchemaIsRegisteredOncePerSubject() throws Exception {
    try (FakeSchemaRegistry registry = new FakeSchemaRegistry()) {
      AvroSerde<StreamAnnouncement> writer = AvroSerde.of(StreamAnnouncement.class,
          Map.of(AvroSerde.REGISTRY_URL, registry.url()), false);
      for (int i = 0; i < 5; i++) {
        writer.serializer().serialize("capstan.channels", announcement);
      }
      assertThat(registry.requests).hasSize(1);
    }
  }

  @Test
  void aReaderWithoutRegistryStillReadsSingleObjectRecordsAndExplainsRegistryOnes() throws Exception {
    AvroSerde<StreamAnnouncement> plain = AvroSerde.of(StreamAnnouncement.class, Map.of(), false);
    assertThat(plain.deserializer().deserialize("t", plain.serializer().serialize("t", announcement)))
        .isEqualTo(announcement);

    try (FakeSchemaRegistry registry = new FakeSchemaRegistry()) {
      byte[] registryBytes = AvroSerde.of(StreamAnnouncement.class, Map.of(AvroSerde.REGISTRY_URL, registry.url()),
          false).serializer().serialize("t", announcement);
      assertThatThrownBy(() -> plain.deserializer().deserialize("t", registryBytes))
          .isInstanceOf(SerdeException.class).hasMessageContaining("schema.registry.url");
    }
  }

  @Test
  void anUnreachableRegistryIsAClearError() {
    AvroSerde<StreamAnnouncement> writer = AvroSerde.of(StreamAnnouncement.class,
        Map.of(AvroSerde.REGISTRY_URL, "http://127.0.0.1:1"), false);
    assertThatThrownBy(() -> writer.serializer().serialize("t", announcement))
        .isInstanceOf(SerdeException.class).hasMessageContaining("unreachable");
  }

  @Test
  void garbageIsRejectedWithItsFirstByte() {
    AvroSerde<StreamAnnouncement> plain = AvroSerde.of(StreamAnnouncement.class, Map.of(), false);
    assertThatThrownBy(() -> plain.deserializer().deserialize("t", new byte[] {0x7b, 0x22, 0x61}))
        .isInstanceOf(SerdeException.class).hasMessageContaining("0x7b");
  }
}
