package io.capstan.mixer.encoder;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;

import io.capstan.runtime.media.FFmpegException;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/** Takes an encoder's packets out as capstan.packets {@link Packet}s, timestamps in microseconds. */
final class CodecOutput implements AutoCloseable {

  private final MediaKind kind;
  private final LongUnaryOperator toMicros;
  /** In the encoder's time base, for packets that come out without a duration. */
  private final long defaultDuration;
  private AVPacket packet = av_packet_alloc();

  CodecOutput(MediaKind kind, LongUnaryOperator toMicros, long defaultDuration) {
    this.kind = kind;
    this.toMicros = toMicros;
    this.defaultDuration = defaultDuration;
  }

  /** Every packet the encoder has ready; {@code config} goes on the key packets. */
  List<Packet> drain(AVCodecContext context, TrackConfig config) {
    List<Packet> out = new ArrayList<>();
    while (true) {
      int ret = avcodec_receive_packet(context, packet);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
        return out;
      }
      FFmpegException.check("avcodec_receive_packet", ret);
      try {
        byte[] data = new byte[packet.size()];
        packet.data().get(data);
        long pts = packet.pts();
        long dts = packet.dts();
        long duration = packet.duration() > 0 ? packet.duration() : defaultDuration;
        boolean key = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
        long ptsUs = toMicros.applyAsLong(pts);
        out.add(Packet.newBuilder()
            .setKind(kind)
            .setPtsUs(ptsUs)
            .setDtsUs(toMicros.applyAsLong(dts))
            .setDurationUs(toMicros.applyAsLong(pts + duration) - ptsUs)
            .setKey(key)
            .setConfig(key ? config : null)
            .setData(ByteBuffer.wrap(data))
            .build());
      } finally {
        av_packet_unref(packet);
      }
    }
  }

  static ByteBuffer extradata(AVCodecContext context) {
    int size = context.extradata_size();
    byte[] bytes = new byte[Math.max(size, 0)];
    if (size > 0 && context.extradata() != null) {
      context.extradata().get(bytes);
    }
    return ByteBuffer.wrap(bytes);
  }

  @Override
  public void close() {
    if (packet != null) {
      av_packet_free(packet);
      packet = null;
    }
  }
}
