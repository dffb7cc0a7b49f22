package io.capstan.webrtc;

/**
 * What happens to a session's connection. Called on one Capstan event thread shared by all
 * sessions (never on libwebrtc's), so a listener may close the session but must not block long.
 */
public interface SessionListener {

  /** ICE+DTLS up (the first time and after a recovery). */
  void connected();

  /** ICE failed / DTLS failed / closed by the peer: the session is over. Called at most once, never after close(). */
  void failed(String reason);

  /** A listener that ignores everything. */
  SessionListener NONE = new SessionListener() {
    @Override public void connected() { }
    @Override public void failed(String reason) { }
  };
}
