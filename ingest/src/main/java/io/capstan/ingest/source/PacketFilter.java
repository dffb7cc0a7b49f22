package io.capstan.ingest.source;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_NEW_EXTRADATA;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_get_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_init;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_send_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_get_side_data;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.capstan.runtime.media.FFmpegException;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.TrackConfig;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avcodec.AVBSFContext;
import org.bytedeco.ffmpeg.avcodec.AVBitStreamFilter;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * One passed-through stream: its demuxed packets through the bitstream filter of
 * {@link HlsCodecs#bitstreamFilter} (Annex B video, raw AAC), copied out with times in
 * microseconds of the source's clock, and the stream's {@link TrackConfig}.
 *
 * <p>Holds native memory (the filter and a packet) until {@link #close()}.
 */
final class PacketFilter implements AutoCloseable {

  /** A filtered packet, copied out of native memory. Times in source microseconds; MIN_VALUE when unknown. */
  record Out(MediaKind kind, long ptsUs, long dtsUs, long durationUs, boolean key, byte[] data) {
  }

  interface Sink {
    void accept(Out packet) throws InterruptedException;
  }

  private static final AVRational MICROS = av_make_q(1, 1_000_000);

  private final MediaKind kind;
  private final int codecId;
  private final AVRational timeBase;
  private final TrackConfig.Builder config;
  private AVBSFContext bsf;
  private AVPacket out;
  private boolean hasExtradata;

  PacketFilter(AVStream stream, MediaKind kind) {
    this.kind = kind;
    AVCodecParameters parameters = stream.codecpar();
    this.codecId = parameters.codec_id();
    this.timeBase = av_make_q(stream.time_base().num(), stream.time_base().den());
    String name = HlsCodecs.bitstreamFilter(codecId);
    try {
      AVBitStreamFilter filter = av_bsf_get_by_name(name);
      if (filter == null || filter.isNull()) {
        throw new FFmpegException("bitstream filter " + name + " is not in this FFmpeg build");
      }
      bsf = new AVBSFContext(null);
      FFmpegException.check("av_bsf_alloc(" + name + ")", av_bsf_alloc(filter, bsf));
      FFmpegException.check("avcodec_parameters_copy", avcodec_parameters_copy(bsf.par_in(), parameters));
      bsf.time_base_in(av_make_q(timeBase.num(), timeBase.den()));
      FFmpegException.check("av_bsf_init(" + name + ")", av_bsf_init(bsf));
      out = av_packet_alloc();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    AVCodecParameters result = bsf.par_out();
    config = TrackConfig.newBuilder()
        .setCodec(avcodec_get_name(codecId).getString())
        .setBitrate(Math.max(0, parameters.bit_rate()))
        .setExtradata(extradata(result.extradata(), result.extradata_size()));
    hasExtradata = result.extradata_size() > 0;
    if (kind == MediaKind.VIDEO) {
      config.setWidth(parameters.width()).setHeight(parameters.height());
    } else {
      int frameSize = parameters.frame_size() > 0 ? parameters.frame_size() : codecId == AV_CODEC_ID_AAC ? 1024 : 0;
      config.setSampleRate(parameters.sample_rate()).setChannels(parameters.ch_layout().nb_channels())
          .setFrameSize(frameSize);
    }
  }

  MediaKind kind() {
    return kind;
  }

  /** What a reader of this stream needs before its first packet (sent on every key packet). */
  TrackConfig config() {
    return config.build();
  }

  /**
   * AAC needs its AudioSpecificConfig to be muxed; a source with ADTS headers gives it only with
   * its first packet. Video may carry its parameter sets in band, so it never waits.
   */
  boolean ready() {
    return kind == MediaKind.VIDEO || hasExtradata;
  }

  /** Filters one demuxed packet, taking over its reference (it is blank afterwards). */
  void filter(AVPacket in, Sink sink) throws InterruptedException {
    int ret = av_bsf_send_packet(bsf, in);
    if (ret < 0) {
      av_packet_unref(in);
      throw new FFmpegException("av_bsf_send_packet(" + HlsCodecs.bitstreamFilter(codecId) + ") error " + ret);
    }
    while (true) {
      ret = av_bsf_receive_packet(bsf, out);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
        return;
      }
      FFmpegException.check("av_bsf_receive_packet", ret);
      try {
        takeNewExtradata();
        byte[] data = new byte[out.size()];
        out.data().get(data);
        long pts = out.pts() == AV_NOPTS_VALUE ? out.dts() : out.pts();
        long dts = out.dts() == AV_NOPTS_VALUE ? out.pts() : out.dts();
        boolean key = kind == MediaKind.AUDIO || (out.flags() & AV_PKT_FLAG_KEY) != 0;
        Out packet = new Out(kind, micros(pts), micros(dts),
            out.duration() > 0 ? av_rescale_q(out.duration(), timeBase, MICROS) : 0, key, data);
        av_packet_unref(out);
        sink.accept(packet);
      } finally {
        av_packet_unref(out);
      }
    }
  }

  private long micros(long value) {
    return value == AV_NOPTS_VALUE ? Long.MIN_VALUE : av_rescale_q(value, timeBase, MICROS);
  }

  /** aac_adtstoasc hands the AudioSpecificConfig it derived from ADTS as side data of its first packet. */
  private void takeNewExtradata() {
    SizeTPointer size = new SizeTPointer(1);
    try {
      BytePointer data = av_packet_get_side_data(out, AV_PKT_DATA_NEW_EXTRADATA, size);
      if (data != null && !data.isNull() && size.get() > 0) {
        config.setExtradata(extradata(data, (int) size.get()));
        hasExtradata = true;
      }
    } finally {
      size.close();
    }
  }

  private static ByteBuffer extradata(BytePointer data, int size) {
    byte[] bytes = new byte[Math.max(0, size)];
    if (size > 0 && data != null && !data.isNull()) {
      data.position(0).get(bytes, 0, size);
    }
    return ByteBuffer.wrap(bytes);
  }

  @Override
  public void close() {
    if (out != null) {
      av_packet_free(out);
      out = null;
    }
    if (bsf != null) {
      av_bsf_free(bsf);
      bsf = null;
    }
  }
}
