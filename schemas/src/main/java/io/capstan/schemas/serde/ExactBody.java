package io.capstan.schemas.serde;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes a record's Avro binary body behind a header into an array of exactly their size, copying
 * its bytes fields once. A first pass only counts (a raw frame's bytes are added, not copied); the
 * second writes into the array. Buffering in a stream and trimming its copy, as Avro's message
 * encoder does, copies a 345 KB picture three times and allocates it twice.
 */
final class ExactBody<T extends SpecificRecord> {

  private static final ThreadLocal<Counter> COUNTER = ThreadLocal.withInitial(Counter::new);
  private static final ThreadLocal<ArraySink> SINK = ThreadLocal.withInitial(ArraySink::new);
  private static final ThreadLocal<BinaryEncoder> ENCODER = new ThreadLocal<>();

  private final SpecificDatumWriter<T> writer;

  ExactBody(Schema schema) {
    this.writer = new SpecificDatumWriter<>(schema);
  }

  byte[] write(byte[] header, T value) throws IOException {
    Counter counter = COUNTER.get();
    counter.count = 0;
    writeTo(counter, value);
    long size = header.length + counter.count;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException(size + " bytes do not fit in one record");
    }
    byte[] out = new byte[(int) size];
    System.arraycopy(header, 0, out, 0, header.length);
    ArraySink sink = SINK.get();
    sink.into(out, header.length);
    try {
      writeTo(sink, value);
      if (sink.at != out.length) {
        throw new IOException("the record changed while it was written (" + sink.at + " of " + out.length + " bytes)");
      }
    } finally {
      sink.into(null, 0);
    }
    return out;
  }

  private void writeTo(OutputStream out, T value) throws IOException {
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, ENCODER.get());
    ENCODER.set(encoder);
    writer.write(value, encoder);
    encoder.flush();
  }

  private static final class Counter extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  private static final class ArraySink extends OutputStream {
    private byte[] target;
    private int at;

    void into(byte[] array, int from) {
      target = array;
      at = from;
    }

    @Override
    public void write(int b) throws IOException {
      if (at >= target.length) {
        throw new IOException("the record grew while it was written");
      }
      target[at++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > target.length - at) {
        throw new IOException("the record grew while it was written");
      }
      System.arraycopy(b, off, target, at, len);
      at += len;
    }
  }
}
