package io.capstan.webrtc;

import io.capstan.schemas.AudioFrame;

/** Decoded media from one remote peer, called on libwebrtc's threads; implementations must not block long. */
public interface MediaSink {

  /** {@code picture} is valid only during the call. arrivalUs: System.nanoTime()/1000 when it arrived. */
  void video(Picture picture, long arrivalUs);

  /** 48 kHz s16le interleaved, 1 or 2 channels (resampled if the decoder gave another rate). */
  void audio(AudioFrame frame, long arrivalUs);
}
