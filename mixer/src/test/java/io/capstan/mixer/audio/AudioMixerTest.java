package io.capstan.mixer.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AudioMixerTest {

  static short[] sine(double hz, int amplitude, long firstSample, int frames, int channels) {
    short[] s = new short[frames * channels];
    for (int i = 0; i < frames; i++) {
      short v = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * (firstSample + i) / 48_000.0));
      for (int c = 0; c < channels; c++) {
        s[i * channels + c] = v;
      }
    }
    return s;
  }

  /** Power of one frequency in channel {@code channel} of interleaved samples (Goertzel). */
  static double goertzel(short[] samples, int channels, int channel, double hz) {
    int n = samples.length / channels;
    double coefficient = 2 * Math.cos(2 * Math.PI * hz / 48_000.0);
    double s1 = 0;
    double s2 = 0;
    for (int i = 0; i < n; i++) {
      double s0 = samples[i * channels + channel] + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / ((double) n * n);
  }

  @Test
  void threeTonesMixIntoThreePeaks() {
    AudioMixer mixer = new AudioMixer(2);
    double[] tones = {300, 500, 700};
    // each uid sends 1 s of mono in 1024-sample chunks (the last one shorter)
    for (int u = 0; u < tones.length; u++) {
      for (int start = 0; start < 48_000; start += 1024) {
        int frames = Math.min(1024, 48_000 - start);
        mixer.add("u" + u, start, sine(tones[u], 6000, start, frames, 1), 48_000, 1);
      }
    }
    short[] mix = new short[48_000 * 2];
    for (int block = 0; block * 1024 < 48_000; block++) {
      int frames = Math.min(1024, 48_000 - block * 1024);
      System.arraycopy(mixer.mix(block * 1024L, frames), 0, mix, block * 1024 * 2, frames * 2);
    }
    for (int channel = 0; channel < 2; channel++) {
      for (double hz : tones) {
        // a sine of amplitude A has Goertzel power A^2 / 4
        assertThat(goertzel(mix, 2, channel, hz)).as("%s Hz", hz).isGreaterThan(0.8 * 6000 * 6000 / 4.0);
      }
      for (double hz : new double[] {200, 400, 600, 800, 1000}) {
        assertThat(goertzel(mix, 2, channel, hz)).as("%s Hz", hz).isLessThan(0.01 * 6000 * 6000 / 4.0);
      }
    }
  }

  @Test
  void loudUidsSaturateInsteadOfWrapping() {
    AudioMixer mixer = new AudioMixer(1);
    short[] loud = new short[1024];
    java.util.Arrays.fill(loud, (short) 30_000);
    short[] quiet = new short[1024];
    java.util.Arrays.fill(quiet, (short) -30_000);
    mixer.add("a", 0, loud, 48_000, 1);
    mixer.add("b", 0, loud, 48_000, 1);
    mixer.add("a", 1024, quiet, 48_000, 1);
    mixer.add("b", 1024, quiet, 48_000, 1);
    assertThat(mixer.mix(0, 1024)).containsOnly(Short.MAX_VALUE);
    assertThat(mixer.mix(1024, 1024)).containsOnly(Short.MIN_VALUE);
  }

  @Test
  void silenceWhenNobodySpeaksAndLateAudioIsDropped() {
    AudioMixer mixer = new AudioMixer(2);
    assertThat(mixer.mix(0, 1024)).hasSize(2048).containsOnly((short) 0);
    mixer.add("a", 0, sine(440, 1000, 0, 1024, 1), 48_000, 1);
    assertThat(mixer.mix(1024, 1024)).containsOnly((short) 0);
    // a chunk in the middle of a block is placed at its sample
    mixer.add("a", 2048 + 512, sine(440, 1000, 0, 512, 2), 48_000, 2);
    short[] block = mixer.mix(2048, 1024);
    assertThat(block[2 * 511]).isZero();
    assertThat(goertzel(java.util.Arrays.copyOfRange(block, 1024, 2048), 2, 0, 440)).isGreaterThan(1000 * 1000 / 10.0);
  }

  @Test
  void stereoBecomesMonoAndOtherRatesAreResampled() {
    AudioMixer mono = new AudioMixer(1);
    short[] stereo = new short[2 * 1024];
    for (int i = 0; i < 1024; i++) {
      stereo[2 * i] = 1000;
      stereo[2 * i + 1] = 3000;
    }
    mono.add("a", 0, stereo, 48_000, 2);
    assertThat(mono.mix(0, 1024)).containsOnly((short) 2000);
    // 1 s at 16 kHz becomes 1 s at 48 kHz with the same tone
    AudioMixer resampled = new AudioMixer(1);
    short[] low = new short[16_000];
    for (int i = 0; i < low.length; i++) {
      low[i] = (short) Math.round(5000 * Math.sin(2 * Math.PI * 500 * i / 16_000.0));
    }
    resampled.add("a", 0, low, 16_000, 1);
    short[] out = resampled.mix(0, 48_000);
    assertThat(goertzel(out, 1, 0, 500)).isGreaterThan(0.8 * 5000 * 5000 / 4.0);
  }
}
