package io.capstan.segmenter.snapshot;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_descriptor_get_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.capstan.runtime.media.FFmpegException;
import io.capstan.runtime.media.NativeCopy;
import io.capstan.runtime.media.Natives;
import io.capstan.schemas.TrackConfig;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecDescriptor;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;

/**
 * Turns one video keyframe into a JPEG at the picture's own size: the keyframe is decoded alone
 * (it needs no other frame), swscale converts it to full-range yuvj420p, and the mjpeg encoder
 * writes the JPEG. The decoder is kept and reset between keyframes; the encoder is reopened only
 * when the picture size changes.
 *
 * <p>Not thread-safe. Holds native memory until {@link #close()}.
 */
public final class KeyframeJpeg implements AutoCloseable {

  /** mjpeg quantiser scale: 2 (best) … 31; 3 is visually lossless for a snapshot. */
  private static final int QSCALE = 3;

  private AVCodecContext decoder;
  private String decoderCodec;
  private AVCodecContext encoder;
  private SwsContext sws;
  private AVPacket packet;
  private AVPacket jpeg;
  private AVFrame decoded;
  private AVFrame converted;
  private long pictures;

  public KeyframeJpeg() {
    Natives.require();
    packet = av_packet_alloc();
    jpeg = av_packet_alloc();
    decoded = av_frame_alloc();
    converted = av_frame_alloc();
  }

  /** The JPEG of {@code keyframe}, or empty when the decoder made no picture of it. */
  public Optional<Snapshot> encode(TrackConfig config, ByteBuffer keyframe) {
    openDecoder(config);
    try {
      FFmpegException.check("av_new_packet", av_new_packet(packet, keyframe.remaining()));
      NativeCopy.into(packet.data(), keyframe);
      FFmpegException.check("avcodec_send_packet", avcodec_send_packet(decoder, packet));
      // Drain: a lone keyframe comes out only once the decoder knows no frame follows.
      FFmpegException.check("avcodec_send_packet(flush)", avcodec_send_packet(decoder, null));
      boolean got = false;
      while (true) {
        av_frame_unref(decoded);
        int ret = avcodec_receive_frame(decoder, decoded);
        if (ret == AVERROR_EOF || ret == AVERROR_EAGAIN()) {
          break;
        }
        FFmpegException.check("avcodec_receive_frame", ret);
        got = true;
        break;
      }
      if (!got) {
        return Optional.empty();
      }
      return Optional.of(new Snapshot(jpegOf(decoded), decoded.width(), decoded.height()));
    } finally {
      av_packet_unref(packet);
      av_frame_unref(decoded);
      // Leaves draining mode: the decoder takes the next keyframe as a fresh start.
      avcodec_flush_buffers(decoder);
    }
  }

  private byte[] jpegOf(AVFrame frame) {
    int width = frame.width();
    int height = frame.height();
    if (encoder == null || encoder.width() != width || encoder.height() != height) {
      openEncoder(width, height);
    }
    sws = sws_getCachedContext(sws, width, height, frame.format(), width, height, AV_PIX_FMT_YUVJ420P,
        SWS_BICUBIC, null, null, (DoublePointer) null);
    if (sws == null) {
      throw new FFmpegException("sws_getCachedContext: cannot convert pixel format " + frame.format());
    }
    sws_scale(sws, frame.data(), frame.linesize(), 0, height, converted.data(), converted.linesize());
    // The encoder wants rising pts even though every JPEG stands alone.
    converted.pts(pictures++);
    converted.quality(QSCALE * FF_QP2LAMBDA);
    FFmpegException.check("avcodec_send_frame(mjpeg)", avcodec_send_frame(encoder, converted));
    try {
      FFmpegException.check("avcodec_receive_packet(mjpeg)", avcodec_receive_packet(encoder, jpeg));
      byte[] bytes = new byte[jpeg.size()];
      jpeg.data().get(bytes, 0, bytes.length);
      return bytes;
    } finally {
      av_packet_unref(jpeg);
    }
  }

  private void openDecoder(TrackConfig config) {
    if (decoder != null && config.getCodec().equals(decoderCodec)) {
      return;
    }
    freeDecoder();
    AVCodecDescriptor descriptor = avcodec_descriptor_get_by_name(config.getCodec());
    if (descriptor == null || descriptor.type() != AVMEDIA_TYPE_VIDEO) {
      throw new FFmpegException("unknown video codec '" + config.getCodec() + "'");
    }
    AVCodec codec = avcodec_find_decoder(descriptor.id());
    if (codec == null) {
      throw new FFmpegException("no decoder for '" + config.getCodec() + "'");
    }
    decoder = avcodec_alloc_context3(codec);
    // One thread: frame threading would hold the picture back for frames that never come.
    decoder.thread_count(1);
    ByteBuffer extradata = config.getExtradata() == null ? ByteBuffer.allocate(0) : config.getExtradata().duplicate();
    if (extradata.hasRemaining()) {
      int size = extradata.remaining();
      BytePointer bytes = new BytePointer(av_mallocz(size + 64L));
      NativeCopy.into(bytes, extradata);
      decoder.extradata(bytes);
      decoder.extradata_size(size);
    }
    FFmpegException.check("avcodec_open2(" + config.getCodec() + " decoder)",
        avcodec_open2(decoder, codec, (AVDictionary) null));
    decoderCodec = config.getCodec();
  }

  private void openEncoder(int width, int height) {
    freeEncoder();
    AVCodec codec = avcodec_find_encoder_by_name("mjpeg");
    if (codec == null) {
      throw new FFmpegException("FFmpeg has no mjpeg encoder");
    }
    encoder = avcodec_alloc_context3(codec);
    encoder.width(width).height(height).pix_fmt(AV_PIX_FMT_YUVJ420P).time_base(av_make_q(1, 25));
    encoder.color_range(AVCOL_RANGE_JPEG);
    encoder.flags(encoder.flags() | AV_CODEC_FLAG_QSCALE);
    encoder.global_quality(QSCALE * FF_QP2LAMBDA);
    FFmpegException.check("avcodec_open2(mjpeg)", avcodec_open2(encoder, codec, (AVDictionary) null));
    av_frame_unref(converted);
    converted.format(AV_PIX_FMT_YUVJ420P).width(width).height(height).color_range(AVCOL_RANGE_JPEG);
    FFmpegException.check("av_frame_get_buffer", av_frame_get_buffer(converted, 0));
  }

  private void freeDecoder() {
    if (decoder != null) {
      avcodec_free_context(decoder);
      decoder = null;
      decoderCodec = null;
    }
  }

  private void freeEncoder() {
    if (encoder != null) {
      avcodec_free_context(encoder);
      encoder = null;
    }
  }

  @Override
  public void close() {
    freeDecoder();
    freeEncoder();
    if (sws != null) {
      sws_freeContext(sws);
      sws = null;
    }
    if (packet != null) {
      av_packet_free(packet);
      packet = null;
    }
    if (jpeg != null) {
      av_packet_free(jpeg);
      jpeg = null;
    }
    if (decoded != null) {
      av_frame_free(decoded);
      decoded = null;
    }
    if (converted != null) {
      av_frame_free(converted);
      converted = null;
    }
  }

  /** A JPEG and the size of its picture. */
  public record Snapshot(byte[] jpeg, int width, int height) {
  }
}
