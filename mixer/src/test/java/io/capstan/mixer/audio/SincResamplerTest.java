package io.capstan.mixer.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SincResamplerTest {

  @ParameterizedTest
  @ValueSource(ints = {48_000, 32_000, 16_000})
  void aToneKeepsItsPitchLevelAndLength(int to) {
    SincResampler r = new SincResampler(48_000, to, 1);
    int seconds = 2;
    float[] out = new float[seconds * to + 64];
    int n = 0;
    for (int block = 0; block < seconds * 48_000 / 1024; block++) {
      short[] in = new short[1024];
      for (int i = 0; i < 1024; i++) {
        in[i] = (short) (8000 * Math.sin(2 * Math.PI * 1000 * (block * 1024 + i) / 48_000.0));
      }
      float[][] o = r.process(in);
      System.arraycopy(o[0], 0, out, n, o[0].length);
      n += o[0].length;
    }
    float[][] rest = r.drain();
    System.arraycopy(rest[0], 0, out, n, rest[0].length);
    n += rest[0].length;
    assertThat(n).isCloseTo((int) (seconds * 48_000L / 1024 * 1024 * to / 48_000), Offset.offset(2));
    // Amplitude and frequency in the middle: a 1 kHz sine of 8000/32768.
    double energy = 0;
    int zero = 0;
    int from = to / 2;
    int until = to + to / 2;
    for (int i = from; i < until; i++) {
      energy += out[i] * out[i];
      if (out[i - 1] < 0 && out[i] >= 0) {
        zero++;
      }
    }
    double rms = Math.sqrt(energy / (until - from));
    assertThat(rms).isCloseTo(8000 / 32768.0 / Math.sqrt(2), Offset.offset(0.01));
    assertThat(zero).isBetween(999, 1001);
  }

  @ParameterizedTest
  @ValueSource(ints = {32_000, 16_000})
  void whatTheOutputCannotHoldIsFilteredOut(int to) {
    SincResampler r = new SincResampler(48_000, to, 1);
    double energy = 0;
    int count = 0;
    // 20 kHz is above both outputs' Nyquist: it must not alias into the audible band.
    for (int block = 0; block < 40; block++) {
      short[] in = new short[1024];
      for (int i = 0; i < 1024; i++) {
        in[i] = (short) (8000 * Math.sin(2 * Math.PI * 20_000 * (block * 1024 + i) / 48_000.0));
      }
      float[] o = r.process(in)[0];
      if (block > 2) {
        for (float v : o) {
          energy += v * v;
          count++;
        }
      }
    }
    assertThat(Math.sqrt(energy / count)).isLessThan(0.01);
  }
}
