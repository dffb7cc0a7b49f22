package io.capstan.webrtc;

import java.net.URI;
import java.time.Duration;

/** A WHIP publication in progress: its resource on the server and the sending peer. */
public final class WhipPublication implements AutoCloseable {

  private final SendSession session;
  private final URI location;
  private final String token;
  private final Duration timeout;
  private boolean closed;

  WhipPublication(SendSession session, URI location, String token, Duration timeout) {
    this.session = session;
    this.location = location;
    this.token = token;
    this.timeout = timeout;
  }

  public URI location() {
    return location;
  }

  public boolean isConnected() {
    return session.isConnected();
  }

  /** Idempotent: DELETE to the Location (best effort), then the peer and its media stop. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      SdpExchange.delete("WHIP", location, token, timeout);
    } finally {
      session.close();
    }
  }
}
