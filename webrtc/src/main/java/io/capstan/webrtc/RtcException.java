package io.capstan.webrtc;

/**
 * A WebRTC step failed: the message says which (the libwebrtc call or the HTTP exchange) and why,
 * never a token. {@link #permanent()} tells the caller whether trying again can help: a bad SDP
 * or a 4xx is the peer's fault and permanent; a timeout or a 5xx is not.
 */
public class RtcException extends Exception {

  private final boolean permanent;

  public RtcException(String message, boolean permanent) {
    super(message);
    this.permanent = permanent;
  }

  public RtcException(String message, boolean permanent, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
  }

  public RtcException(String message) {
    this(message, true);
  }

  public boolean permanent() {
    return permanent;
  }
}
