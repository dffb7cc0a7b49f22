package io.capstan.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The schema registry wire format: magic byte 0, the writer schema's id as a big-endian int32,
 * then the Avro binary body. Subjects follow the topic-name strategy ({@code <topic>-value}).
 */
final class RegistryCodec<T extends SpecificRecord> {

  private static final byte MAGIC = 0;

  private final Schema schema;
  private final SchemaRegistryClient client;
  private final String subjectSuffix;
  private final SpecificDatumWriter<T> writer;

  RegistryCodec(Class<T> type, SchemaRegistryClient client, boolean isKey) {
    this.schema = SpecificData.get().getSchema(type);
    this.client = client;
    this.subjectSuffix = isKey ? "-key" : "-value";
    this.writer = new SpecificDatumWriter<>(schema);
  }

  static boolean matches(byte[] bytes) {
    return bytes.length >= 5 && bytes[0] == MAGIC;
  }

  byte[] encode(String topic, T value) {
    int id = client.register(topic + subjectSuffix, schema);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(MAGIC);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer.write(value, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new SerdeException("cannot encode " + schema.getFullName(), e);
    }
    return out.toByteArray();
  }

  T decode(byte[] bytes) {
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    Schema writerSchema = client.schemaById(id);
    SpecificDatumReader<T> reader = new SpecificDatumReader<>(writerSchema, schema);
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
    try {
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new SerdeException("cannot decode a record written with registry schema " + id, e);
    }
  }
}
