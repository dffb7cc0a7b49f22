package io.capstan.mixer.compositor;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
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
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * Decodes the first picture of an image (PNG, JPEG, ... anything avformat opens) from an http(s)
 * or file URL or a local path into an I420 {@link SourcePicture}, scaled down to fit a bound
 * (the canvas) so drawing it each frame costs no more than a video. Only the file, http and https
 * protocols are allowed: a URL from the job spec must not reach FFmpeg's other protocols.
 */
public final class ImageDecoder {

  private static final String PROTOCOLS = "file,http,https,tcp,tls";

  private ImageDecoder() {
  }

  /** @throws IllegalArgumentException for an unsupported location; FFmpegException when it does not decode */
  public static SourcePicture decode(String location, int maxWidth, int maxHeight, Duration timeout) {
    String url = ffmpegUrl(location);
    AVFormatContext format = new AVFormatContext(null);
    AVCodecContext decoder = null;
    AVPacket packet = av_packet_alloc();
    AVFrame frame = av_frame_alloc();
    AVDictionary options = new AVDictionary(null);
    try {
      av_dict_set(options, "protocol_whitelist", PROTOCOLS, 0);
      av_dict_set(options, "rw_timeout", Long.toString(timeout.toNanos() / 1000), 0);
      FFmpegException.check("avformat_open_input", avformat_open_input(format, url, null, options));
      FFmpegException.check("avformat_find_stream_info", avformat_find_stream_info(format, (PointerPointer<?>) null));
      int stream = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      FFmpegException.check("av_find_best_stream(video)", stream);
      AVCodec codec = avcodec_find_decoder(format.streams(stream).codecpar().codec_id());
      if (codec == null) {
        throw new FFmpegException("no decoder for the image's codec");
      }
      decoder = avcodec_alloc_context3(codec);
      FFmpegException.check("avcodec_parameters_to_context",
          avcodec_parameters_to_context(decoder, format.streams(stream).codecpar()));
      FFmpegException.check("avcodec_open2(image)", avcodec_open2(decoder, codec, (AVDictionary) null));
      if (!firstFrame(format, decoder, stream, packet, frame)) {
        throw new FFmpegException("the image has no picture");
      }
      return toI420(frame, maxWidth, maxHeight);
    } finally {
      av_dict_free(options);
      av_frame_free(frame);
      av_packet_free(packet);
      if (decoder != null) {
        avcodec_free_context(decoder);
      }
      if (!format.isNull()) {
        avformat_close_input(format);
      }
    }
  }

  /** file: URLs become paths; http and https go to FFmpeg as they are; a scheme-less string is a path. */
  static String ffmpegUrl(String location) {
    String trimmed = location == null ? "" : location.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("empty image location");
    }
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return trimmed;
    }
    if (lower.startsWith("file:")) {
      return Path.of(URI.create(trimmed)).toString();
    }
    if (trimmed.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
      throw new IllegalArgumentException("unsupported image URL scheme (http, https or file only)");
    }
    return Path.of(trimmed).toAbsolutePath().toString();
  }

  private static boolean firstFrame(AVFormatContext format, AVCodecContext decoder, int stream, AVPacket packet,
                                    AVFrame frame) {
    while (av_read_frame(format, packet) >= 0) {
      try {
        if (packet.stream_index() == stream && avcodec_send_packet(decoder, packet) >= 0
            && avcodec_receive_frame(decoder, frame) == 0) {
          return true;
        }
      } finally {
        av_packet_unref(packet);
      }
    }
    avcodec_send_packet(decoder, null);
    return avcodec_receive_frame(decoder, frame) == 0;
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
