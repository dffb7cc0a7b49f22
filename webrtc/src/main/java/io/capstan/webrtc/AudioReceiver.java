package io.capstan.webrtc;

import dev.onvoid.webrtc.media.audio.AudioResampler;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import io.capstan.schemas.AudioFrame;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoded 10 ms chunks of one remote audio track to a {@link MediaSink}, at 48 kHz. They come on
 * the audio module's one playout thread, shared by every session of the process.
 */
final class AudioReceiver implements AudioTrackSink {

  static final int RATE = 48_000;

  private static final Logger log = LoggerFactory.getLogger(AudioReceiver.class);

  private final MediaSink sink;
  private boolean closed;
  private AudioResampler resampler;
  private int resamplerRate;
  private int resamplerChannels;
  private long dropped;

  AudioReceiver(MediaSink sink) {
    this.sink = sink;
  }

  @Override
  public synchronized void onData(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
    long arrivalUs = System.nanoTime() / 1000;
    if (closed) {
      return;
    }
    try {
      if (bitsPerSample != 16 || channels < 1 || channels > 2) {
        drop("unexpected format: " + bitsPerSample + " bits, " + channels + " channels");
        return;
      }
      byte[] samples = data;
      if (sampleRate != RATE) {
        if (frames != sampleRate / 100) {
          drop("a " + frames + "-sample chunk at " + sampleRate + " Hz is not 10 ms; cannot resample it");
          return;
        }
        samples = resample(data, sampleRate, channels, frames);
      }
      AudioFrame frame = AudioFrame.newBuilder()
          .setSampleRate(RATE)
          .setChannels(channels)
          .setSamples(ByteBuffer.wrap(samples))
          .build();
      sink.audio(frame, arrivalUs);
    } catch (RuntimeException e) {
      drop("the audio sink failed: " + e);
    }
  }

  private byte[] resample(byte[] data, int rate, int channels, int frames) {
    if (resampler == null || resamplerRate != rate || resamplerChannels != channels) {
      if (resampler != null) {
        resampler.dispose();
      }
      resampler = new AudioResampler(rate, RATE, channels);
      resamplerRate = rate;
      resamplerChannels = channels;
    }
    byte[] out = new byte[RATE / 100 * channels * 2];
    resampler.resample(data, frames, out, RATE / 100, channels);
    return out;
  }

  private void drop(String why) {
    if (dropped++ % 1000 == 0) {
      log.warn("audio chunk dropped ({} so far): {}", dropped, why);
    }
  }

  /** After the sink is off the track: frees the resampler. */
  synchronized void close() {
    closed = true;
    if (resampler != null) {
      resampler.dispose();
      resampler = null;
    }
  }
}
