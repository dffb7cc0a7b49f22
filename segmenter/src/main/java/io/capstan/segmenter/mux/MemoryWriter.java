package io.capstan.segmenter.mux;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avformat.Write_packet_Pointer_BytePointer_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The AVIOContext write callback shared by every muxer. JavaCPP gives each callback class only a
 * few native entry points, so there is one retained instance; the AVIOContext's opaque pointer (the
 * muxer's AVFormatContext) says which in-memory sink the bytes belong to.
 */
final class MemoryWriter extends Write_packet_Pointer_BytePointer_int {

  static final MemoryWriter CALLBACK = new MemoryWriter().retainReference();

  private static final Map<Long, ByteArrayOutputStream> SINKS = new ConcurrentHashMap<>();

  private MemoryWriter() {
  }

  static void register(Pointer opaque, ByteArrayOutputStream sink) {
    SINKS.put(opaque.address(), sink);
  }

  static void unregister(Pointer opaque) {
    SINKS.remove(opaque.address());
  }

  @Override
  public int call(Pointer opaque, BytePointer buffer, int size) {
    ByteArrayOutputStream sink = SINKS.get(opaque.address());
    if (sink == null || size < 0) {
      return -1;
    }
    byte[] bytes = new byte[size];
    buffer.position(0).get(bytes, 0, size);
    sink.write(bytes, 0, size);
    return size;
  }
}
