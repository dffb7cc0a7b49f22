package io.capstan.mixer.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Conversions of interleaved signed 16-bit PCM: bytes, sample rate, channel count. */
public final class Pcm {

  private Pcm() {
  }

  /** Little-endian s16 bytes to samples. */
  public static short[] fromLittleEndian(ByteBuffer bytes) {
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    short[] samples = new short[b.remaining() / 2];
    b.asShortBuffer().get(samples);
    return samples;
  }

  public static ByteBuffer toLittleEndian(short[] samples) {
    ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.asShortBuffer().put(samples);
    return b;
  }

  /** Linear interpolation to {@code toRate}; enough for the rare source ingest did not resample. */
  public static short[] resample(short[] in, int channels, int fromRate, int toRate) {
    if (fromRate == toRate || in.length == 0) {
      return in;
    }
    int inFrames = in.length / channels;
    int outFrames = (int) Math.max(1, Math.round((double) inFrames * toRate / fromRate));
    short[] out = new short[outFrames * channels];
    double step = (double) fromRate / toRate;
    for (int i = 0; i < outFrames; i++) {
      double pos = i * step;
      int i0 = Math.min((int) pos, inFrames - 1);
      int i1 = Math.min(i0 + 1, inFrames - 1);
      double frac = pos - i0;
      for (int c = 0; c < channels; c++) {
        double v = in[i0 * channels + c] * (1 - frac) + in[i1 * channels + c] * frac;
        out[i * channels + c] = (short) Math.round(v);
      }
    }
    return out;
  }

  /** Mono to stereo duplicates; more channels to fewer averages them (to mono) first. */
  public static short[] convertChannels(short[] in, int from, int to) {
    if (from == to) {
      return in;
    }
    int frames = in.length / from;
    short[] out = new short[frames * to];
    for (int i = 0; i < frames; i++) {
      if (from == 2 && to == 1) {
        out[i] = (short) ((in[2 * i] + in[2 * i + 1]) / 2);
        continue;
      }
      int sum = 0;
      for (int c = 0; c < from; c++) {
        sum += in[i * from + c];
      }
      short mono = (short) (sum / from);
      for (int c = 0; c < to; c++) {
        out[i * to + c] = from == 1 ? in[i] : mono;
      }
    }
    return out;
  }
}
