package io.capstan.mixer.compositor;

import io.capstan.runtime.media.NativeCopy;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;

/**
 * One uid's latest I420 picture, copied into native memory so swscale can read it. The buffer is
 * reused while frames fit and freed by {@link #close()}.
 */
public final class SourcePicture implements AutoCloseable {

  private BytePointer buffer;
  private long capacity;
  private int width;
  private int height;
  private final int[] strides = new int[3];
  private final long[] offsets = new long[3];

  /**
   * Copies a frame laid out as in capstan.frames: Y (strideY * height bytes), then U and V
   * (stride * height / 2 bytes each).
   */
  public void update(int width, int height, int[] planeStrides, ByteBuffer data) {
    long size = check(width, height, planeStrides, data.remaining());
    long ySize = (long) planeStrides[0] * height;
    long uSize = (long) planeStrides[1] * ((height + 1) / 2);
    if (buffer == null || capacity < size) {
      close();
      buffer = new BytePointer(size);
      capacity = size;
    }
    NativeCopy.into(buffer, data.duplicate().limit(data.position() + (int) size));
    this.width = width;
    this.height = height;
    System.arraycopy(planeStrides, 0, strides, 0, 3);
    offsets[0] = 0;
    offsets[1] = ySize;
    offsets[2] = ySize + uSize;
  }

  /**
   * Makes this an uninitialised, tightly packed I420 picture of {@code width x height} (even), for a
   * producer that writes the planes natively (an image decoder's swscale).
   */
  void allocate(int width, int height) {
    long size = (long) width * height * 3 / 2;
    if (buffer == null || capacity < size) {
      close();
      buffer = new BytePointer(size);
      capacity = size;
    }
    this.width = width;
    this.height = height;
    strides[0] = width;
    strides[1] = width / 2;
    strides[2] = width / 2;
    offsets[0] = 0;
    offsets[1] = (long) width * height;
    offsets[2] = offsets[1] + (long) width * height / 4;
  }

  /**
   * The bytes an I420 frame of this shape occupies; throws when {@code available} is less or the
   * shape is impossible.
   */
  public static long check(int width, int height, int[] planeStrides, long available) {
    if (width < 2 || height < 2 || planeStrides.length < 3) {
      throw new IllegalArgumentException("not an I420 frame: " + width + "x" + height);
    }
    int chromaRows = (height + 1) / 2;
    long size = (long) planeStrides[0] * height + ((long) planeStrides[1] + planeStrides[2]) * chromaRows;
    if (planeStrides[0] < width || planeStrides[1] < (width + 1) / 2 || planeStrides[2] < (width + 1) / 2
        || available < size) {
      throw new IllegalArgumentException("I420 frame " + width + "x" + height + " with strides "
          + planeStrides[0] + "/" + planeStrides[1] + "/" + planeStrides[2] + " needs " + size + " bytes, has "
          + available);
    }
    return size;
  }

  public boolean empty() {
    return buffer == null || width == 0;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  int stride(int plane) {
    return strides[plane];
  }

  /** Absolute native address of plane {@code plane} at even pixel (x, y). */
  long address(int plane, int x, int y) {
    if (plane == 0) {
      return buffer.address() + offsets[0] + (long) y * strides[0] + x;
    }
    return buffer.address() + offsets[plane] + (long) (y / 2) * strides[plane] + x / 2;
  }

  @Override
  public void close() {
    if (buffer != null) {
      buffer.close();
      buffer = null;
      capacity = 0;
      width = 0;
      height = 0;
    }
  }
}
