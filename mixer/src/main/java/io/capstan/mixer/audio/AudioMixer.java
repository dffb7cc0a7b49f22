package io.capstan.mixer.audio;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mixes every uid's audio onto one output sample timeline (48 kHz, the output's channel count).
 * Each uid's chunks are placed at their sample position; the mix of a block sums what overlaps
 * it, saturating at the s16 limits, and is silence where nobody has samples. Audio arriving for
 * samples already mixed is late and dropped.
 */
public final class AudioMixer {

  public static final int SAMPLE_RATE = 48_000;
  /** A chunk this close (1 ms) to where the uid's previous chunk ended is joined to it, not gapped. */
  private static final long SNAP_SAMPLES = 48;

  private final int channels;
  private final Map<String, Track> tracks = new LinkedHashMap<>();
  private long mixedUpTo = Long.MIN_VALUE;

  public AudioMixer(int channels) {
    if (channels != 1 && channels != 2) {
      throw new IllegalArgumentException("1 or 2 output channels, not " + channels);
    }
    this.channels = channels;
  }

  public int channels() {
    return channels;
  }

  /**
   * @param startSample where the chunk starts on the output timeline (48 kHz samples)
   * @param pcm         interleaved s16 at {@code sampleRate} with {@code sourceChannels} channels
   * @return false when the chunk came too late: all its samples were mixed already, it is dropped
   */
  public boolean add(String uid, long startSample, short[] pcm, int sampleRate, int sourceChannels) {
    if (sourceChannels <= 0 || sampleRate <= 0 || pcm.length < sourceChannels) {
      return true;
    }
    short[] samples = Pcm.convertChannels(Pcm.resample(pcm, sourceChannels, sampleRate, SAMPLE_RATE),
        sourceChannels, channels);
    Track track = tracks.computeIfAbsent(uid, u -> new Track());
    long start = startSample;
    if (track.end != Long.MIN_VALUE && Math.abs(start - track.end) <= SNAP_SAMPLES) {
      start = track.end;
    }
    long frames = samples.length / channels;
    if (start + frames <= mixedUpTo) {
      return false;
    }
    track.chunks.addLast(new Chunk(start, samples));
    track.end = Math.max(track.end, start + frames);
    return true;
  }

  /** Forgets a uid (after it left and its last samples were mixed). */
  public void remove(String uid) {
    tracks.remove(uid);
  }

  /** True when a uid still has samples at or after {@code sample}. */
  public boolean hasSamplesFrom(String uid, long sample) {
    Track t = tracks.get(uid);
    return t != null && t.end > sample;
  }

  /** The mix of {@code frames} samples from {@code fromSample}, interleaved; consumed audio is dropped. */
  public short[] mix(long fromSample, int frames) {
    int[] sum = new int[frames * channels];
    long to = fromSample + frames;
    for (Track track : tracks.values()) {
      for (Iterator<Chunk> it = track.chunks.iterator(); it.hasNext(); ) {
        Chunk chunk = it.next();
        long chunkEnd = chunk.start + chunk.samples.length / channels;
        long from = Math.max(fromSample, chunk.start);
        long until = Math.min(to, chunkEnd);
        for (long s = from; s < until; s++) {
          int outIndex = (int) (s - fromSample) * channels;
          int inIndex = (int) (s - chunk.start) * channels;
          for (int c = 0; c < channels; c++) {
            sum[outIndex + c] += chunk.samples[inIndex + c];
          }
        }
        if (chunkEnd <= to) {
          it.remove();
        }
      }
    }
    mixedUpTo = Math.max(mixedUpTo, to);
    short[] out = new short[sum.length];
    for (int i = 0; i < sum.length; i++) {
      out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sum[i]));
    }
    return out;
  }

  private record Chunk(long start, short[] samples) {
  }

  private static final class Track {
    final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    long end = Long.MIN_VALUE;
  }
}
