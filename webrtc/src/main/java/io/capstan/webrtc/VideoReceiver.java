package io.capstan.webrtc;

import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoded pictures of one remote video track to a {@link MediaSink}. libwebrtc hands each frame over
 * with a reference we own: released here, whatever the sink does.
 */
final class VideoReceiver implements VideoTrackSink {

  private static final Logger log = LoggerFactory.getLogger(VideoReceiver.class);

  private final MediaSink sink;
  private volatile boolean closed;
  private long sinkErrors;

  VideoReceiver(MediaSink sink) {
    this.sink = sink;
  }

  @Override
  public void onVideoFrame(VideoFrame frame) {
    long arrivalUs = System.nanoTime() / 1000;
    try {
      if (!closed) {
        I420Picture picture = new I420Picture(frame.buffer.toI420());
        try {
          sink.video(picture, arrivalUs);
        } finally {
          picture.expire();
        }
      }
    } catch (RuntimeException e) {
      // An exception must not unwind into libwebrtc's decoder thread; say so now and then.
      if (sinkErrors++ % 1000 == 0) {
        log.warn("the video sink failed ({} times so far)", sinkErrors, e);
      }
    } finally {
      frame.release();
    }
  }

  void close() {
    closed = true;
  }
}
