package io.capstan.ingest.source;

import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.VideoFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.Frame;

/**
 * Copies a grabbed Frame (borrowed: FFmpeg reuses its buffers at the next grab) into the record
 * layout of PIPELINE.md, once, straight from the native planes into the record's byte array.
 */
public final class FrameConversion {

  private FrameConversion() {
  }

  /**
   * I420: Y (strideY x height), then U and V (stride x height/2 each). The grabber was asked for
   * yuv420p, so {@code frame.opaque} is the AVFrame swscale wrote, with its plane pointers and strides.
   */
  public static VideoFrame video(Frame frame) {
    if (!(frame.opaque instanceof AVFrame)) {
      return packed(frame);
    }
    AVFrame picture = (AVFrame) frame.opaque;
    int height = frame.imageHeight;
    int chromaRows = (height + 1) / 2;
    int[] strides = {picture.linesize(0), picture.linesize(1), picture.linesize(2)};
    int[] sizes = {strides[0] * height, strides[1] * chromaRows, strides[2] * chromaRows};
    byte[] data = new byte[sizes[0] + sizes[1] + sizes[2]];
    int offset = 0;
    for (int plane = 0; plane < 3; plane++) {
      picture.data(plane).get(data, offset, sizes[plane]);
      offset += sizes[plane];
    }
    return new VideoFrame(frame.imageWidth, height, List.of(strides[0], strides[1], strides[2]), ByteBuffer.wrap(data));
  }

  /**
   * A picture a JavaCV filter gave back: its I420 planes packed one after the other without padding
   * (FFmpeg's av_image_copy_to_buffer with alignment 1).
   */
  private static VideoFrame packed(Frame frame) {
    int width = frame.imageWidth;
    int height = frame.imageHeight;
    int chromaStride = (width + 1) / 2;
    int size = width * height + 2 * chromaStride * ((height + 1) / 2);
    ByteBuffer planes = ((ByteBuffer) frame.image[0]).duplicate();
    if (planes.remaining() < size) {
      throw new IllegalStateException("a " + width + "x" + height + " picture holds " + planes.remaining()
          + " bytes, not the " + size + " of packed I420");
    }
    byte[] data = new byte[size];
    planes.get(data);
    return new VideoFrame(width, height, List.of(width, chromaStride, chromaStride), ByteBuffer.wrap(data));
  }

  /** s16 interleaved, as the grabber resampled it (48 kHz, at most 2 channels), little-endian. */
  public static AudioFrame audio(Frame frame) {
    ShortBuffer samples = ((ShortBuffer) frame.samples[0]).duplicate();
    byte[] data = new byte[samples.remaining() * 2];
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(samples);
    return new AudioFrame(frame.sampleRate, frame.audioChannels, ByteBuffer.wrap(data));
  }
}
