package io.capstan.webrtc;

import io.capstan.schemas.VideoFrame;

/** A decoded I420 picture on loan from libwebrtc: valid only during {@link MediaSink#video}. */
public interface Picture {

  int width();

  int height();

  /**
   * One copy into Capstan's frame, scaled down (libyuv, never per-pixel Java) to fit {@code max}
   * keeping the shape, even sizes; {@code max} null = as is. Never scales up.
   */
  VideoFrame toVideoFrame(Size max);
}
