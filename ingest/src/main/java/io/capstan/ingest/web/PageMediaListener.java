package io.capstan.ingest.web;

/**
 * Receives a page's picture and sound. {@link #onVideo} runs on the capture's video thread and
 * {@link #onAudio} on its audio thread, concurrently; each is called in timestamp order. Both
 * must return quickly (copy and hand over): a slow video listener makes the grabber skip
 * pictures, a slow audio listener makes sound be lost.
 */
public interface PageMediaListener {

  void onVideo(PageVideoFrame frame);

  void onAudio(PageAudioChunk chunk);

  /** A grabber failed (the display or sound server died); that thread has stopped. */
  default void onError(Exception error) {
  }
}
