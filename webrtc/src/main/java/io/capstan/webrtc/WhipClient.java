package io.capstan.webrtc;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** WHIP client: publishes a {@link MediaSource} into a WHIP endpoint (tests, benchmarks). */
public final class WhipClient {

  private WhipClient() {
  }

  /** POSTs a send-only offer with the Bearer token, applies the 201's answer; close() DELETEs the Location. */
  public static WhipPublication publish(URI endpoint, String token, RtcSettings settings, MediaSource media, String videoCodec,
      Duration timeout) throws RtcException, IOException {
    SendSession session = SendSession.offer(settings, media, videoCodec, SessionListener.NONE);
    try {
      SdpExchange.Answer answer = SdpExchange.post("WHIP", endpoint, token, session.localSdp(), timeout);
      try {
        session.acceptAnswer(answer.sdp());
      } catch (RtcException e) {
        SdpExchange.delete("WHIP", answer.location(), token, timeout);
        throw e;
      }
      return new WhipPublication(session, answer.location(), token, timeout);
    } catch (RtcException | IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }
}
