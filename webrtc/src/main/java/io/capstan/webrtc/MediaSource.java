package io.capstan.webrtc;

/**
 * Media for a {@link SendSession}: produces frames on its own thread at real time between start
 * and stop. One instance feeds one session.
 */
public interface MediaSource {

  void start(VideoOut video, AudioOut audio);

  /** Stops producing; no push after it returns. */
  void stop();
}
