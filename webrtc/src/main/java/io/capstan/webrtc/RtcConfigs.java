package io.capstan.webrtc;

import io.capstan.runtime.rtc.RtcConfig;
import java.util.List;

/** The deployment's WebRTC settings ({@link RtcConfig}) as peer connections take them. */
public final class RtcConfigs {

  private RtcConfigs() {
  }

  public static RtcSettings settings(RtcConfig config) {
    List<RtcSettings.IceServer> servers = config.iceServers().stream()
        .map(url -> url.startsWith("turn")
            ? new RtcSettings.IceServer(url, config.turnUsername(), config.turnCredential())
            : new RtcSettings.IceServer(url, null, null))
        .toList();
    return new RtcSettings(servers, config.minPort(), config.maxPort(),
        config.advertisedAddress().isEmpty() ? null : config.advertisedAddress());
  }
}
