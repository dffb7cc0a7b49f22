package io.capstan.webrtc;

import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrameBuffer;
import io.capstan.schemas.VideoFrame;
import java.nio.ByteBuffer;
import java.util.List;

/** A libwebrtc I420 buffer lent to a {@link MediaSink} for the length of one call. */
final class I420Picture implements Picture {

  private final I420Buffer buffer;
  private boolean valid = true;

  I420Picture(I420Buffer buffer) {
    this.buffer = buffer;
  }

  @Override
  public int width() {
    return buffer.getWidth();
  }

  @Override
  public int height() {
    return buffer.getHeight();
  }

  @Override
  public VideoFrame toVideoFrame(Size max) {
    if (!valid) {
      throw new IllegalStateException("a Picture is valid only during MediaSink.video");
    }
    Size target = Scaling.fit(width(), height(), max);
    if (target.width() == width() && target.height() == height()) {
      return copy(buffer);
    }
    // libyuv box filter into a new native buffer, then the one copy to the heap.
    VideoFrameBuffer scaled = buffer.cropAndScale(0, 0, width(), height(), target.width(), target.height());
    try {
      return copy(scaled.toI420());
    } finally {
      scaled.release();
    }
  }

  void expire() {
    valid = false;
  }

  /** Planes into one array, tightly packed: strides are the width and half the width (rounded up). */
  static VideoFrame copy(I420Buffer b) {
    int w = b.getWidth();
    int h = b.getHeight();
    int cw = (w + 1) / 2;
    int ch = (h + 1) / 2;
    byte[] data = new byte[w * h + 2 * cw * ch];
    int offset = plane(b.getDataY(), b.getStrideY(), w, h, data, 0);
    offset = plane(b.getDataU(), b.getStrideU(), cw, ch, data, offset);
    plane(b.getDataV(), b.getStrideV(), cw, ch, data, offset);
    return VideoFrame.newBuilder()
        .setWidth(w)
        .setHeight(h)
        .setStrides(List.of(w, cw, cw))
        .setData(ByteBuffer.wrap(data))
        .build();
  }

  private static int plane(ByteBuffer src, int stride, int width, int rows, byte[] dst, int offset) {
    if (stride == width) {
      src.get(0, dst, offset, width * rows);
      return offset + width * rows;
    }
    for (int row = 0; row < rows; row++) {
      src.get(row * stride, dst, offset, width);
      offset += width;
    }
    return offset;
  }
}
