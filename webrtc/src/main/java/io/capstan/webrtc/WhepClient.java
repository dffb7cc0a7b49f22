package io.capstan.webrtc;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** WHEP client (draft-ietf-wish-whep): pulls a source's media into a {@link MediaSink}. */
public final class WhepClient {

  private WhepClient() {
  }

  /**
   * POSTs a receive-only offer (application/sdp, Bearer token when not null) and applies the 201's
   * answer; the session's {@link WhepSession#close()} DELETEs the Location. {@code timeout} bounds
   * each HTTP exchange, not the connection: {@code listener} hears when it is up or lost.
   */
  public static WhepSession open(URI endpoint, String bearerTokenOrNull, RtcSettings settings, ReceiveOptions options,
      MediaSink sink, SessionListener listener, Duration timeout) throws RtcException, IOException {
    ReceiveSession session = ReceiveSession.offer(settings, options, sink, listener);
    try {
      SdpExchange.Answer answer = SdpExchange.post("WHEP", endpoint, bearerTokenOrNull, session.localSdp(), timeout);
      try {
        session.acceptAnswer(answer.sdp());
      } catch (RtcException e) {
        SdpExchange.delete("WHEP", answer.location(), bearerTokenOrNull, timeout);
        throw e;
      }
      return new WhepSession(session, answer.location(), bearerTokenOrNull, timeout);
    } catch (RtcException | IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }
}
