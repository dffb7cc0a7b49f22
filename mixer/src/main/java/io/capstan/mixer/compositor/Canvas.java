package io.capstan.mixer.compositor;

import io.capstan.runtime.media.FFmpegException;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The output picture: an I420 {@link AVFrame} of the canvas size in native memory, handed to the
 * encoder as it is. Freed by {@link #close()}.
 */
public final class Canvas implements AutoCloseable {

  private final int width;
  private final int height;
  private AVFrame frame;

  public Canvas(int width, int height) {
    if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException("the canvas needs even dimensions, got " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    frame = av_frame_alloc();
    if (frame == null) {
      throw new FFmpegException("av_frame_alloc returned null");
    }
    frame.format(AV_PIX_FMT_YUV420P);
    frame.width(width);
    frame.height(height);
    int ret = av_frame_get_buffer(frame, 32);
    if (ret < 0) {
      av_frame_free(frame);
      frame = null;
      throw new FFmpegException("av_frame_get_buffer", ret);
    }
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The frame, for the encoder. Its planes stay owned by the canvas. */
  public AVFrame frame() {
    return frame;
  }

  /** Before drawing: the encoder may still hold a reference to the previous picture. */
  void makeWritable() {
    FFmpegException.check("av_frame_make_writable", av_frame_make_writable(frame));
  }

  int linesize(int plane) {
    return frame.linesize(plane);
  }

  long address(int plane, int x, int y) {
    BytePointer data = frame.data(plane);
    return plane == 0 ? data.address() + (long) y * frame.linesize(0) + x
        : data.address() + (long) (y / 2) * frame.linesize(plane) + x / 2;
  }

  /** Paints a rectangle (even coordinates) one row at a time: memset per row, no pixel loop. */
  void fill(int x, int y, int w, int h, YuvColor color) {
    fillPlane(0, x, y, w, h, color.y());
    fillPlane(1, x / 2, y / 2, w / 2, h / 2, color.u());
    fillPlane(2, x / 2, y / 2, w / 2, h / 2, color.v());
  }

  private void fillPlane(int plane, int x, int y, int w, int h, int value) {
    BytePointer data = frame.data(plane);
    int linesize = frame.linesize(plane);
    BytePointer row = new BytePointer(data);
    if (x == 0 && w * (plane == 0 ? 1 : 2) >= width) {
      // whole rows: one memset over the block, padding included
      row.position((long) y * linesize);
      Pointer.memset(row, value, (long) h * linesize);
      return;
    }
    for (int r = y; r < y + h; r++) {
      row.position((long) r * linesize + x);
      Pointer.memset(row, value, w);
    }
  }

  public int sample(int plane, int x, int y) {
    BytePointer data = frame.data(plane);
    long index = plane == 0 ? (long) y * frame.linesize(0) + x : (long) (y / 2) * frame.linesize(plane) + x / 2;
    return data.get(index) & 0xff;
  }

  public YuvColor colorAt(int x, int y) {
    return new YuvColor(sample(0, x, y), sample(1, x, y), sample(2, x, y));
  }

  @Override
  public void close() {
    if (frame != null) {
      av_frame_free(frame);
      frame = null;
    }
  }
}
