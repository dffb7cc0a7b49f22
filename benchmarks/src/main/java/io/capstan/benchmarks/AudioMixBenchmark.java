package io.capstan.benchmarks;

import io.capstan.mixer.audio.AudioMixer;
import io.capstan.mixer.audio.Pcm;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * 20 ms of audio (960 samples at 48 kHz) from four uids, the way the mixer handles it: each uid's
 * s16le bytes from capstan.frames become samples ({@link Pcm#fromLittleEndian}), are placed on the
 * output timeline, and the block is mixed with saturation. {@code channels} is the output's
 * channel count (audioProfile 0/1: mono; 2: stereo); the sources are mono, as the tones are.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AudioMixBenchmark {

  private static final int SAMPLES = 960;
  private static final List<String> UIDS = List.of("1001", "1002", "1003", "1004");

  @Param({"1", "2"})
  public int channels;

  private AudioMixer mixer;
  private final ByteBuffer[] chunks = new ByteBuffer[UIDS.size()];
  private long position;

  @Setup
  public void setUp() {
    mixer = new AudioMixer(channels);
    for (int u = 0; u < UIDS.size(); u++) {
      short[] tone = new short[SAMPLES];
      for (int i = 0; i < SAMPLES; i++) {
        tone[i] = (short) (8000 * Math.sin(2 * Math.PI * (300 + 200 * u) * i / 48_000.0));
      }
      chunks[u] = Pcm.toLittleEndian(tone);
    }
  }

  @Benchmark
  public short[] mix20ms() {
    for (int u = 0; u < UIDS.size(); u++) {
      mixer.add(UIDS.get(u), position, Pcm.fromLittleEndian(chunks[u].duplicate()), 48_000, 1);
    }
    short[] block = mixer.mix(position, SAMPLES);
    position += SAMPLES;
    return block;
  }
}
