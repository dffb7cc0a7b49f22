package io.capstan.mixer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;

import io.capstan.mixer.compositor.YuvColor;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Decodes the mixer's packets the way a player would (test helper): H.264 pictures and AAC
 * blocks stamped with the pts of the packet they came from (microseconds).
 */
public final class Decoded {

  private Decoded() {
  }

  /** One decoded picture, planes copied to the heap. */
  public record Picture(long ptsUs, int width, int height, byte[][] planes, int[] linesizes) {
    public YuvColor colorAt(int x, int y) {
      return new YuvColor(planes[0][y * linesizes[0] + x] & 0xff, planes[1][(y / 2) * linesizes[1] + x / 2] & 0xff,
          planes[2][(y / 2) * linesizes[2] + x / 2] & 0xff);
    }

    public boolean near(int x, int y, YuvColor expected, int tolerance) {
      YuvColor c = colorAt(x, y);
      return Math.abs(c.y() - expected.y()) <= tolerance && Math.abs(c.u() - expected.u()) <= tolerance
          && Math.abs(c.v() - expected.v()) <= tolerance;
    }
  }

  /** A decoded AAC block: its first sample's time and the first channel's samples. */
  public record Block(long ptsUs, float[] samples) {
  }

  public static List<Packet> of(List<Packet> packets, MediaKind kind) {
    return packets.stream().filter(p -> p.getKind() == kind).toList();
  }

  public static List<Picture> video(List<Packet> packets) {
    List<Picture> out = new ArrayList<>();
    AVCodecContext context = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_H264));
    AVPacket packet = av_packet_alloc();
    AVFrame frame = av_frame_alloc();
    try {
      context.pkt_timebase(av_make_q(1, 1_000_000));
      assertThat(avcodec_open2(context, avcodec_find_decoder(AV_CODEC_ID_H264), (AVDictionary) null)).isZero();
      for (Packet p : packets) {
        send(context, packet, p);
        receiveVideo(context, frame, out);
      }
      assertThat(avcodec_send_packet(context, null)).isZero();
      receiveVideo(context, frame, out);
    } finally {
      av_frame_free(frame);
      av_packet_free(packet);
      avcodec_free_context(context);
    }
    return out;
  }

  private static void receiveVideo(AVCodecContext context, AVFrame frame, List<Picture> out) {
    while (avcodec_receive_frame(context, frame) == 0) {
      byte[][] planes = new byte[3][];
      int[] linesizes = new int[3];
      for (int plane = 0; plane < 3; plane++) {
        int rows = plane == 0 ? frame.height() : frame.height() / 2;
        linesizes[plane] = frame.linesize(plane);
        planes[plane] = new byte[rows * linesizes[plane]];
        frame.data(plane).get(planes[plane]);
      }
      out.add(new Picture(frame.best_effort_timestamp(), frame.width(), frame.height(), planes, linesizes));
    }
  }

  public static List<Block> audio(List<Packet> packets) {
    List<Block> out = new ArrayList<>();
    AVCodecContext context = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_AAC));
    AVPacket packet = av_packet_alloc();
    AVFrame frame = av_frame_alloc();
    try {
      ByteBuffer asc = packets.get(0).getConfig().getExtradata().duplicate();
      byte[] ascBytes = new byte[asc.remaining()];
      asc.get(ascBytes);
      BytePointer extradata = new BytePointer(av_mallocz(ascBytes.length + AV_INPUT_BUFFER_PADDING_SIZE));
      extradata.put(ascBytes);
      context.extradata(extradata);
      context.extradata_size(ascBytes.length);
      context.pkt_timebase(av_make_q(1, 1_000_000));
      assertThat(avcodec_open2(context, avcodec_find_decoder(AV_CODEC_ID_AAC), (AVDictionary) null)).isZero();
      for (Packet p : packets) {
        send(context, packet, p);
        while (avcodec_receive_frame(context, frame) == 0) {
          float[] chunk = new float[frame.nb_samples()];
          new FloatPointer(frame.data(0)).get(chunk);
          out.add(new Block(frame.best_effort_timestamp(), chunk));
        }
      }
    } finally {
      av_frame_free(frame);
      av_packet_free(packet);
      avcodec_free_context(context);
    }
    return out;
  }

  private static void send(AVCodecContext context, AVPacket packet, Packet p) {
    byte[] bytes = new byte[p.getData().remaining()];
    p.getData().duplicate().get(bytes);
    av_new_packet(packet, bytes.length);
    packet.data().put(bytes);
    packet.pts(p.getPtsUs());
    packet.dts(p.getDtsUs());
    assertThat(avcodec_send_packet(context, packet)).isZero();
    av_packet_unref(packet);
  }
}
