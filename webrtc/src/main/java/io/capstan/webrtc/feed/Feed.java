package io.capstan.webrtc.feed;

import io.capstan.webrtc.MediaSink;

/**
 * A live participant's decoded media that readers in this process can subscribe to: a WHIP
 * publisher decoded once, recorded by every job of its channel without another decode.
 */
public interface Feed {

  /** Whether the participant sends audio (so that a reader does not wait for it in vain). */
  boolean audio();

  boolean video();

  /** True once the participant has left (DELETE, ICE failure, silence): no media will come. */
  boolean ended();

  /** Media from now on goes to {@code sink} too, until the returned subscription is closed. */
  Subscription subscribe(MediaSink sink);

  /** Closing it stops the media to one sink; idempotent. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
