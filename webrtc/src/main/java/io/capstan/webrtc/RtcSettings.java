package io.capstan.webrtc;

import java.util.List;
import java.util.Objects;

/**
 * ICE servers, the UDP port range host candidates bind to (0, 0 = any), and the address to
 * advertise (1:1 NAT: host candidates' address rewritten in the SDP we hand out; null = none).
 */
public record RtcSettings(List<IceServer> iceServers, int minPort, int maxPort, String advertisedAddress) {

  /** A STUN or TURN server; username and credential are null for STUN. */
  public record IceServer(String url, String username, String credential) {

    public IceServer {
      Objects.requireNonNull(url, "url");
    }

    /** Never prints the credential. */
    @Override
    public String toString() {
      return url + (username == null ? "" : " (user " + username + ", credential ****)");
    }
  }

  public RtcSettings {
    iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
    if (minPort < 0 || maxPort < 0 || minPort > 65535 || maxPort > 65535) {
      throw new IllegalArgumentException("UDP ports are 0 to 65535, got " + minPort + "-" + maxPort);
    }
    if ((minPort == 0) != (maxPort == 0) || minPort > maxPort) {
      throw new IllegalArgumentException("a UDP port range needs both ends, min <= max (or 0 and 0 for any), got " + minPort + "-" + maxPort);
    }
    if (advertisedAddress != null && advertisedAddress.isBlank()) {
      advertisedAddress = null;
    }
  }

  /** No ICE servers, any port, no advertised address. */
  public static RtcSettings defaults() {
    return new RtcSettings(List.of(), 0, 0, null);
  }

  public RtcSettings withPorts(int min, int max) {
    return new RtcSettings(iceServers, min, max, advertisedAddress);
  }

  public RtcSettings withAdvertisedAddress(String address) {
    return new RtcSettings(iceServers, minPort, maxPort, address);
  }
}
