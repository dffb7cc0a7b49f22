package io.capstan.webrtc;

import io.capstan.schemas.AudioFrame;

/** Where a {@link MediaSource} puts its sound: 10 ms of s16le at a time (480 samples per channel at 48 kHz). */
public interface AudioOut {
  void push(AudioFrame frame);
}
