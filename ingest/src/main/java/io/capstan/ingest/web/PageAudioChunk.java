package io.capstan.ingest.web;

import java.nio.ShortBuffer;

/**
 * A run of the page's sound: signed 16-bit PCM, interleaved, 48 kHz stereo.
 *
 * <p>Borrowed like {@link PageVideoFrame}: copy {@code samples} before returning.
 *
 * @param utcUs when the first sample played, UTC microseconds
 * @param sampleRate 48000
 * @param channels 2
 * @param samples interleaved, {@code frames() * channels} values from its position
 */
public record PageAudioChunk(long utcUs, int sampleRate, int channels, ShortBuffer samples) {

  /** Samples per channel. */
  public int frames() {
    return samples.remaining() / channels;
  }

  /** Duration in microseconds. */
  public long durationUs() {
    return frames() * 1_000_000L / sampleRate;
  }
}
