package io.capstan.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Avro's single-object encoding: needs no registry, identifies the writer schema by fingerprint. */
final class SingleObjectCodec<T extends SpecificRecord> {

  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  SingleObjectCodec(Class<T> type) {
    Schema schema = SpecificData.get().getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
    this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
  }

  static boolean matches(byte[] bytes) {
    return bytes.length >= 10 && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01;
  }

  /** Lets records written with an older schema be read: the decoder resolves them to the current one. */
  void addWriterSchema(Schema older) {
    decoder.addSchema(older);
  }

  byte[] encode(T value) {
    try {
      ByteBuffer buffer = encoder.encode(value);
      byte[] out = new byte[buffer.remaining()];
      buffer.get(out);
      return out;
    } catch (IOException e) {
      throw new SerdeException("cannot encode " + value.getSchema().getFullName(), e);
    }
  }

  T decode(byte[] bytes) {
    try {
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new SerdeException("cannot decode a single-object encoded record: " + e.getMessage(), e);
    }
  }
}
