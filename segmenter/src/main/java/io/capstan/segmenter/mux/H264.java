package io.capstan.segmenter.mux;

import io.capstan.schemas.TrackConfig;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * H.264 Annex B helpers. The mixer may send H.264 with its SPS and PPS in band only (empty
 * extradata): MPEG-TS is fine with that, but an MP4 needs them in its sample description, so they
 * are taken from a keyframe.
 */
public final class H264 {

  private static final int SPS = 7;
  private static final int PPS = 8;

  private H264() {
  }

  /**
   * The SPS and PPS NAL units of an Annex B access unit, each after a 4-byte start code (the form
   * FFmpeg's MP4 muxer accepts as extradata and turns into an avcC box); empty when it has none.
   */
  public static byte[] parameterSets(ByteBuffer annexB) {
    ByteBuffer b = annexB.duplicate();
    int start = b.position();
    int end = b.limit();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int nal = nextNal(b, start, end);
    while (nal >= 0) {
      int next = nextStartCode(b, nal, end);
      int nalEnd = next < 0 ? end : next;
      // Trailing zero bytes belong to the next start code (a 4-byte one), not to this NAL unit.
      while (nalEnd > nal && b.get(nalEnd - 1) == 0) {
        nalEnd--;
      }
      int type = b.get(nal) & 0x1f;
      if ((type == SPS || type == PPS) && nalEnd > nal) {
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(1);
        for (int i = nal; i < nalEnd; i++) {
          out.write(b.get(i));
        }
      }
      nal = next < 0 ? -1 : nextNal(b, next, end);
    }
    return out.toByteArray();
  }

  /**
   * {@code config} itself when it is not H.264 or has extradata; else a copy with the SPS and PPS
   * of {@code keyframe} as extradata.
   */
  public static TrackConfig withParameterSets(TrackConfig config, ByteBuffer keyframe) {
    if (!"h264".equals(config.getCodec())
        || (config.getExtradata() != null && config.getExtradata().hasRemaining())) {
      return config;
    }
    // Field by field: a builder copy of an Avro record needs the class trusted by Avro (AvroTrust).
    return TrackConfig.newBuilder()
        .setCodec(config.getCodec())
        .setWidth(config.getWidth())
        .setHeight(config.getHeight())
        .setSampleRate(config.getSampleRate())
        .setChannels(config.getChannels())
        .setBitrate(config.getBitrate())
        .setFrameSize(config.getFrameSize())
        .setExtradata(ByteBuffer.wrap(parameterSets(keyframe)))
        .build();
  }

  /** Index of the first byte of the NAL unit after the next start code at or after {@code from}, or -1. */
  private static int nextNal(ByteBuffer b, int from, int end) {
    int sc = nextStartCode(b, from, end);
    return sc < 0 || sc + 3 >= end ? -1 : sc + 3;
  }

  /** Index of the first zero of the next 00 00 01 start code at or after {@code from}, or -1. */
  private static int nextStartCode(ByteBuffer b, int from, int end) {
    for (int i = from; i + 2 < end; i++) {
      if (b.get(i) == 0 && b.get(i + 1) == 0 && b.get(i + 2) == 1) {
        return i;
      }
    }
    return -1;
  }
}
