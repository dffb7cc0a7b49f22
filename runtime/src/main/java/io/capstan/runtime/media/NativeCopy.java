package io.capstan.runtime.media;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;

/** Media bytes from a Java buffer into native memory (an AVPacket's data, a picture), copied once. */
public final class NativeCopy {

  private NativeCopy() {
  }

  /**
   * Copies {@code source}'s remaining bytes to the start of {@code target}, which must hold them;
   * {@code source}'s position does not move. Avro decodes into heap buffers, whose array is copied
   * from directly; any other buffer goes through one array.
   */
  public static void into(BytePointer target, ByteBuffer source) {
    int size = source.remaining();
    if (source.hasArray()) {
      target.position(0).put(source.array(), source.arrayOffset() + source.position(), size);
    } else {
      byte[] copy = new byte[size];
      source.duplicate().get(copy);
      target.position(0).put(copy, 0, size);
    }
    target.position(0);
  }
}
