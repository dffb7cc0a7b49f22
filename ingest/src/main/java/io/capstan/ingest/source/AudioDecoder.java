package io.capstan.ingest.source;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import io.capstan.runtime.media.FFmpegException;
import io.capstan.schemas.AudioFrame;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decodes the audio of a source whose video passes through but whose audio codec HLS cannot carry
 * (Opus from WebRTC): s16 interleaved, 48 kHz, at most two channels, as capstan.frames wants, by
 * swresample. Holds native memory until {@link #close()}.
 */
final class AudioDecoder implements AutoCloseable {

  interface Sink {
    /** @param ptsUs the frame's time in source microseconds, MIN_VALUE when unknown */
    void accept(long ptsUs, AudioFrame frame) throws InterruptedException;
  }

  private static final AVRational MICROS = av_make_q(1, 1_000_000);

  private final AVRational timeBase;
  private final int channels;
  private AVCodecContext codec;
  private AVFrame frame;
  private SwrContext swr;
  private BytePointer buffer;
  private int bufferSamples;

  AudioDecoder(AVStream stream) {
    timeBase = av_make_q(stream.time_base().num(), stream.time_base().den());
    int codecId = stream.codecpar().codec_id();
    channels = Math.min(StreamOpener.MAX_CHANNELS, Math.max(1, stream.codecpar().ch_layout().nb_channels()));
    try {
      AVCodec decoder = avcodec_find_decoder(codecId);
      if (decoder == null || decoder.isNull()) {
        throw new FFmpegException("no decoder for " + avcodec_get_name(codecId).getString());
      }
      codec = avcodec_alloc_context3(decoder);
      FFmpegException.check("avcodec_parameters_to_context", avcodec_parameters_to_context(codec, stream.codecpar()));
      codec.pkt_timebase(av_make_q(timeBase.num(), timeBase.den()));
      FFmpegException.check("avcodec_open2(" + decoder.name().getString() + ")",
          avcodec_open2(codec, decoder, (org.bytedeco.ffmpeg.avutil.AVDictionary) null));
      frame = av_frame_alloc();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Decodes one packet (left as it was: the caller unrefs it). A corrupt packet is skipped, as a player would. */
  void decode(AVPacket packet, Sink sink) throws InterruptedException {
    if (avcodec_send_packet(codec, packet) < 0) {
      return;
    }
    while (true) {
      int ret = avcodec_receive_frame(codec, frame);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF || ret < 0) {
        return;
      }
      try {
        long pts = frame.best_effort_timestamp();
        long ptsUs = pts == AV_NOPTS_VALUE ? Long.MIN_VALUE : av_rescale_q(pts, timeBase, MICROS);
        AudioFrame converted = convert();
        av_frame_unref(frame);
        if (converted != null) {
          sink.accept(ptsUs, converted);
        }
      } finally {
        av_frame_unref(frame);
      }
    }
  }

  private AudioFrame convert() {
    if (swr == null) {
      AVChannelLayout out = new AVChannelLayout();
      av_channel_layout_default(out, channels);
      swr = new SwrContext(null);
      try {
        FFmpegException.check("swr_alloc_set_opts2", swr_alloc_set_opts2(swr, out, AV_SAMPLE_FMT_S16,
            StreamOpener.SAMPLE_RATE, frame.ch_layout(), frame.format(), frame.sample_rate(), 0, null));
        FFmpegException.check("swr_init", swr_init(swr));
      } finally {
        av_channel_layout_uninit(out);
        out.close();
      }
    }
    int capacity = swr_get_out_samples(swr, frame.nb_samples());
    if (capacity <= 0) {
      return null;
    }
    if (capacity > bufferSamples) {
      if (buffer != null) {
        buffer.close();
      }
      buffer = new BytePointer((long) capacity * channels * 2);
      bufferSamples = capacity;
    }
    int samples;
    // An array of one plane (s16 is interleaved); PointerPointer(Pointer) would cast the buffer itself.
    try (PointerPointer<BytePointer> planes = new PointerPointer<>(1)) {
      planes.put(0, buffer);
      samples = swr_convert(swr, planes, capacity, frame.extended_data(), frame.nb_samples());
    }
    FFmpegException.check("swr_convert", samples);
    if (samples == 0) {
      return null;
    }
    byte[] pcm = new byte[samples * channels * 2];
    buffer.position(0).get(pcm);
    // s16 in native order, little-endian on the platforms the natives exist for (x86-64).
    return new AudioFrame(StreamOpener.SAMPLE_RATE, channels, ByteBuffer.wrap(pcm));
  }

  @Override
  public void close() {
    if (swr != null) {
      swr_free(swr);
      swr = null;
    }
    if (frame != null) {
      av_frame_free(frame);
      frame = null;
    }
    if (codec != null) {
      avcodec_free_context(codec);
      codec = null;
    }
    if (buffer != null) {
      buffer.close();
      buffer = null;
    }
  }
}
