package io.capstan.segmenter.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.capstan.runtime.media.FFmpegException;
import io.capstan.runtime.media.Natives;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Makes the packets the mixer would: a solid-colour H.264 picture (libx264, Annex B, no B-frames,
 * an IDR exactly every {@code keySeconds}) and a sine tone in AAC, interleaved in dts order, with a
 * TrackConfig on every key packet.
 */
public final class TestMedia {

  public static final int WIDTH = 320;
  public static final int HEIGHT = 240;
  public static final int FPS = 15;
  public static final int SAMPLE_RATE = 48_000;
  /** BT.601 limited-range red. */
  public static final int Y = 81;
  public static final int U = 90;
  public static final int V = 240;
  public static final double TONE_HZ = 440;

  private static final AVRational MICROS = av_make_q(1, 1_000_000);

  private TestMedia() {
  }

  public static List<Packet> encode(int seconds, int keySeconds) {
    return encode(seconds, keySeconds, WIDTH, HEIGHT, 0);
  }

  /** {@code seconds} of a {@code width}×{@code height} picture and the tone, starting at {@code startUs}. */
  public static List<Packet> encode(int seconds, int keySeconds, int width, int height, long startUs) {
    Natives.require();
    List<Packet> all = new ArrayList<>(video(seconds, keySeconds, width, height));
    all.addAll(audio(seconds));
    all.sort(Comparator.comparingLong(Packet::getDtsUs));
    return all.stream().map(p -> shifted(p, startUs)).toList();
  }

  /** {@code p} later by {@code us}. */
  public static Packet shifted(Packet p, long us) {
    return Packet.newBuilder().setKind(p.getKind()).setPtsUs(p.getPtsUs() + us).setDtsUs(p.getDtsUs() + us)
        .setDurationUs(p.getDurationUs()).setKey(p.getKey()).setConfig(p.getConfig()).setData(p.getData()).build();
  }

  static List<Packet> video(int seconds, int keySeconds) {
    return video(seconds, keySeconds, WIDTH, HEIGHT);
  }

  static List<Packet> video(int seconds, int keySeconds, int width, int height) {
    AVCodec codec = avcodec_find_encoder_by_name("libx264");
    AVCodecContext c = avcodec_alloc_context3(codec);
    AVFrame frame = av_frame_alloc();
    AVPacket pkt = av_packet_alloc();
    AVDictionary options = new AVDictionary(null);
    try {
      int gop = FPS * keySeconds;
      c.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P).time_base(av_make_q(1, FPS))
          .framerate(av_make_q(FPS, 1)).gop_size(gop).max_b_frames(0).bit_rate(300_000);
      av_dict_set(options, "preset", "ultrafast", 0);
      av_dict_set(options, "tune", "zerolatency", 0);
      av_dict_set(options, "forced-idr", "1", 0);
      av_dict_set(options, "x264-params", "scenecut=0", 0);
      FFmpegException.check("avcodec_open2(libx264)", avcodec_open2(c, codec, options));
      frame.format(AV_PIX_FMT_YUV420P).width(width).height(height);
      FFmpegException.check("av_frame_get_buffer", av_frame_get_buffer(frame, 0));
      TrackConfig config = TrackConfig.newBuilder().setCodec("h264").setWidth(width).setHeight(height)
          .setBitrate(300_000).setExtradata(extradata(c)).build();
      List<Packet> packets = new ArrayList<>();
      for (int n = 0; n < seconds * FPS; n++) {
        FFmpegException.check("av_frame_make_writable", av_frame_make_writable(frame));
        fill(frame.data(0), frame.linesize(0) * height, Y);
        fill(frame.data(1), frame.linesize(1) * height / 2, U);
        fill(frame.data(2), frame.linesize(2) * height / 2, V);
        frame.pts(n);
        frame.pict_type(n % gop == 0 ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        FFmpegException.check("avcodec_send_frame", avcodec_send_frame(c, frame));
        drain(c, pkt, MediaKind.VIDEO, config, packets);
      }
      avcodec_send_frame(c, null);
      drain(c, pkt, MediaKind.VIDEO, config, packets);
      return packets;
    } finally {
      av_dict_free(options);
      av_packet_free(pkt);
      av_frame_free(frame);
      avcodec_free_context(c);
    }
  }

  static List<Packet> audio(int seconds) {
    AVCodec codec = avcodec_find_encoder_by_name("aac");
    AVCodecContext c = avcodec_alloc_context3(codec);
    AVFrame frame = av_frame_alloc();
    AVPacket pkt = av_packet_alloc();
    try {
      c.sample_fmt(AV_SAMPLE_FMT_FLTP).sample_rate(SAMPLE_RATE).bit_rate(64_000).time_base(av_make_q(1, SAMPLE_RATE));
      av_channel_layout_default(c.ch_layout(), 1);
      c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
      FFmpegException.check("avcodec_open2(aac)", avcodec_open2(c, codec, (AVDictionary) null));
      int frameSize = c.frame_size();
      frame.format(AV_SAMPLE_FMT_FLTP).nb_samples(frameSize).sample_rate(SAMPLE_RATE);
      av_channel_layout_copy(frame.ch_layout(), c.ch_layout());
      FFmpegException.check("av_frame_get_buffer", av_frame_get_buffer(frame, 0));
      TrackConfig config = TrackConfig.newBuilder().setCodec("aac").setSampleRate(SAMPLE_RATE).setChannels(1)
          .setBitrate(64_000).setExtradata(extradata(c)).setFrameSize(frameSize).build();
      List<Packet> packets = new ArrayList<>();
      float[] samples = new float[frameSize];
      long total = (long) seconds * SAMPLE_RATE;
      for (long start = 0; start < total; start += frameSize) {
        FFmpegException.check("av_frame_make_writable", av_frame_make_writable(frame));
        for (int i = 0; i < frameSize; i++) {
          samples[i] = (float) (0.5 * Math.sin(2 * Math.PI * TONE_HZ * (start + i) / SAMPLE_RATE));
        }
        new FloatPointer(frame.data(0)).put(samples, 0, frameSize);
        frame.pts(start);
        FFmpegException.check("avcodec_send_frame", avcodec_send_frame(c, frame));
        drain(c, pkt, MediaKind.AUDIO, config, packets);
      }
      avcodec_send_frame(c, null);
      drain(c, pkt, MediaKind.AUDIO, config, packets);
      // The encoder's priming packet comes before 0; the mixer's timeline starts at 0.
      packets.removeIf(p -> p.getPtsUs() < 0);
      return packets;
    } finally {
      av_packet_free(pkt);
      av_frame_free(frame);
      avcodec_free_context(c);
    }
  }

  private static void drain(AVCodecContext c, AVPacket pkt, MediaKind kind, TrackConfig config, List<Packet> out) {
    while (true) {
      int ret = avcodec_receive_packet(c, pkt);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
        return;
      }
      FFmpegException.check("avcodec_receive_packet", ret);
      byte[] data = new byte[pkt.size()];
      pkt.data().get(data, 0, data.length);
      boolean key = (pkt.flags() & AV_PKT_FLAG_KEY) != 0;
      out.add(Packet.newBuilder()
          .setKind(kind)
          .setPtsUs(av_rescale_q(pkt.pts(), c.time_base(), MICROS))
          .setDtsUs(av_rescale_q(pkt.dts(), c.time_base(), MICROS))
          .setDurationUs(av_rescale_q(pkt.duration(), c.time_base(), MICROS))
          .setKey(key)
          .setConfig(key ? config : null)
          .setData(ByteBuffer.wrap(data))
          .build());
      av_packet_unref(pkt);
    }
  }

  private static ByteBuffer extradata(AVCodecContext c) {
    byte[] bytes = new byte[Math.max(0, c.extradata_size())];
    if (bytes.length > 0) {
      c.extradata().get(bytes, 0, bytes.length);
    }
    return ByteBuffer.wrap(bytes);
  }

  private static void fill(BytePointer plane, int size, int value) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) value);
    plane.put(bytes, 0, size);
  }
}
