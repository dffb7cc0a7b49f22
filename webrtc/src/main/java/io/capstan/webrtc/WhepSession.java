package io.capstan.webrtc;

import java.net.URI;
import java.time.Duration;

/** A WHEP pull in progress: its resource on the server and the peer connection. */
public final class WhepSession implements AutoCloseable {

  private final ReceiveSession session;
  private final URI location;
  private final String token;
  private final Duration timeout;
  private boolean closed;

  WhepSession(ReceiveSession session, URI location, String token, Duration timeout) {
    this.session = session;
    this.location = location;
    this.token = token;
    this.timeout = timeout;
  }

  public boolean isConnected() {
    return session.isConnected();
  }

  /** The session's resource on the WHEP server (what close() DELETEs). */
  public URI location() {
    return location;
  }

  /** Trickle ICE from the peer, as for {@link ReceiveSession#addRemoteCandidates}. */
  public void addRemoteCandidates(String sdpFragment) throws RtcException {
    session.addRemoteCandidates(sdpFragment);
  }

  /** Idempotent: DELETE to the Location (best effort, within the timeout), then the peer closes. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      SdpExchange.delete("WHEP", location, token, timeout);
    } finally {
      session.close();
    }
  }
}
