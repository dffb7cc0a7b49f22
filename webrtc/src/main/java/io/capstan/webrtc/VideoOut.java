package io.capstan.webrtc;

import io.capstan.schemas.VideoFrame;

/** Where a {@link MediaSource} puts its pictures: the frame is copied before push returns. */
public interface VideoOut {
  void push(VideoFrame frame);
}
