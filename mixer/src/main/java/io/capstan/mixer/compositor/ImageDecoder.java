package io.capstan.mixer.compositor;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_BMP;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_GIF;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.capstan.runtime.media.FFmpegException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * Decodes one still image (PNG, JPEG, GIF or BMP), already in memory, into an I420
 * {@link SourcePicture} scaled down to fit a bound (the canvas), so drawing it each frame costs no
 * more than a video. The bytes go straight to the image's decoder as one packet: no demuxer, no
 * protocol, nothing of FFmpeg's that could open a file or a URL. The decoder's own pixel limit
 * ({@code max_pixels}) is set too, so a header that lies about its size still cannot make it
 * allocate more than the caller allows.
 */
public final class ImageDecoder {

  /** The formats decoded, with FFmpeg's decoder of each. */
  public enum Format {
    PNG(AV_CODEC_ID_PNG), JPEG(AV_CODEC_ID_MJPEG), GIF(AV_CODEC_ID_GIF), BMP(AV_CODEC_ID_BMP);

    private final int codecId;

    Format(int codecId) {
      this.codecId = codecId;
    }
  }

  private ImageDecoder() {
  }

  /**
   * @param maxPixels the most width x height the decoder may allocate a picture for
   * @throws FFmpegException when the bytes do not decode as {@code format}
   */
  public static SourcePicture decode(byte[] image, Format format, int maxWidth, int maxHeight, long maxPixels) {
    AVCodec codec = avcodec_find_decoder(format.codecId);
    if (codec == null) {
      throw new FFmpegException("no " + format + " decoder in this FFmpeg build");
    }
    AVCodecContext decoder = avcodec_alloc_context3(codec);
    AVPacket packet = av_packet_alloc();
    AVFrame frame = av_frame_alloc();
    AVDictionary options = new AVDictionary(null);
    try {
      if (decoder == null || packet == null || frame == null) {
        throw new FFmpegException("allocating the " + format + " decoder (out of memory)");
      }
      av_dict_set(options, "max_pixels", Long.toString(Math.min(maxPixels, Integer.MAX_VALUE)), 0);
      FFmpegException.check("avcodec_open2(" + format + ")", avcodec_open2(decoder, codec, options));
      // av_new_packet zeroes the padding the decoder's bit readers may overread into
      FFmpegException.check("av_new_packet", av_new_packet(packet, image.length));
      packet.data().put(image, 0, image.length);
      FFmpegException.check("avcodec_send_packet(" + format + ")", avcodec_send_packet(decoder, packet));
      int ret = avcodec_receive_frame(decoder, frame);
      if (ret == AVERROR_EAGAIN()) {
        avcodec_send_packet(decoder, null);
        ret = avcodec_receive_frame(decoder, frame);
      }
      FFmpegException.check("avcodec_receive_frame(" + format + ")", ret);
      return toI420(frame, maxWidth, maxHeight);
    } finally {
      av_dict_free(options);
      av_frame_free(frame);
      av_packet_free(packet);
      if (decoder != null) {
        avcodec_free_context(decoder);
      }
    }
  }

  private static SourcePicture toI420(AVFrame frame, int maxWidth, int maxHeight) {
    int w = frame.width();
    int h = frame.height();
    double shrink = Math.min(1.0, Math.min((double) maxWidth / w, (double) maxHeight / h));
    int outW = Math.max(2, (int) (w * shrink) & ~1);
    int outH = Math.max(2, (int) (h * shrink) & ~1);
    SwsContext sws = sws_getContext(w, h, frame.format(), outW, outH, AV_PIX_FMT_YUV420P, SWS_BICUBIC, null, null,
        (DoublePointer) null);
    if (sws == null) {
      throw new FFmpegException("sws_getContext for the image (" + w + "x" + h + ", format " + frame.format() + ")");
    }
    SourcePicture picture = new SourcePicture();
    // allocated before the scope: the picture outlives it
    picture.allocate(outW, outH);
    try (PointerScope scope = new PointerScope()) {
      LongPointer planes = new LongPointer(4);
      IntPointer strides = new IntPointer(4);
      for (int plane = 0; plane < 3; plane++) {
        planes.put(plane, picture.address(plane, 0, 0));
        strides.put(plane, picture.stride(plane));
      }
      int rows = sws_scale(sws, frame.data(), frame.linesize(), 0, h, new PointerPointer<>(planes), strides);
      if (rows <= 0) {
        throw new FFmpegException("sws_scale(image)", rows);
      }
      return picture;
    } catch (RuntimeException e) {
      picture.close();
      throw e;
    } finally {
      sws_freeContext(sws);
    }
  }
}
