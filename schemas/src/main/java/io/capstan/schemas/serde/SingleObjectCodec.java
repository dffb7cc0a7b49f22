package io.capstan.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro's single-object encoding: needs no registry, identifies the writer schema by fingerprint.
 * Bytes fields are copied once each way. (Reading could hand them out as views of the consumer's
 * fetch instead, but a held record would then keep its whole fetch, up to 16 MiB, alive.)
 */
final class SingleObjectCodec<T extends SpecificRecord> {

  private final byte[] header;
  private final ExactBody<T> body;
  private final BinaryMessageDecoder<T> decoder;

  SingleObjectCodec(Class<T> type) {
    Schema schema = SpecificData.get().getSchema(type);
    // C3 01, then the schema's CRC-64-AVRO fingerprint, little-endian
    this.header = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xC3).put((byte) 0x01)
        .putLong(SchemaNormalization.parsingFingerprint64(schema)).array();
    this.body = new ExactBody<>(schema);
    this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
  }

  static boolean matches(byte[] bytes) {
    return matches(ByteBuffer.wrap(bytes));
  }

  static boolean matches(ByteBuffer bytes) {
    return bytes.remaining() >= 10 && bytes.get(bytes.position()) == (byte) 0xC3
        && bytes.get(bytes.position() + 1) == (byte) 0x01;
  }

  /** Lets records written with an older schema be read: the decoder resolves them to the current one. */
  void addWriterSchema(Schema older) {
    decoder.addSchema(older);
  }

  byte[] encode(T value) {
    try {
      return body.write(header, value);
    } catch (IOException e) {
      throw new SerdeException("cannot encode " + value.getSchema().getFullName(), e);
    }
  }

  T decode(byte[] bytes) {
    return decode(ByteBuffer.wrap(bytes));
  }

  /** Reads {@code bytes} from its position (which stays where it is). */
  T decode(ByteBuffer bytes) {
    try {
      return decoder.decode(bytes.duplicate(), null);
    } catch (IOException | RuntimeException e) {
      throw new SerdeException("cannot decode a single-object encoded record: " + e.getMessage(), e);
    }
  }
}
