package io.capstan.runtime.rtc;

import io.capstan.runtime.config.Config;
import io.capstan.runtime.config.ConfigException;
import io.capstan.runtime.config.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The network settings of WebRTC, shared by the gateway (WHIP publishers) and ingest (WHEP
 * sources): ICE servers, the UDP ports peer connections use and the address to advertise.
 */
public record RtcConfig(List<String> iceServers, String turnUsername, String turnCredential, int minPort, int maxPort,
                        String advertisedAddress) {

  public static final Setting<String> ICE_SERVERS = Setting.string("webrtc.ice.servers", "",
      "STUN and TURN servers for WebRTC peer connections, comma-separated (stun:host:3478, turn:host:3478?transport=udp,"
          + " turns:host:5349); empty: host candidates only, enough when publishers reach this machine directly");
  public static final Setting<String> TURN_USERNAME = Setting.string("webrtc.turn.username", "",
      "username for the TURN servers of webrtc.ice.servers");
  public static final Setting<String> TURN_CREDENTIAL = Setting.secret("webrtc.turn.credential",
      "credential (password) for the TURN servers of webrtc.ice.servers");
  public static final Setting<String> UDP_PORTS = Setting.string("webrtc.udp.ports", "",
      "UDP port range of WebRTC media as first-last (e.g. 50000-50199): open it in the firewall; empty: any port");
  public static final Setting<String> ADVERTISED_ADDRESS = Setting.string("webrtc.advertised.address", "",
      "the public IP address to advertise in ICE candidates, for a machine behind 1:1 NAT (a cloud VM, a container"
          + " with published ports); empty: the machine's own addresses");

  public static List<Setting<?>> settings() {
    return List.of(ICE_SERVERS, TURN_USERNAME, TURN_CREDENTIAL, UDP_PORTS, ADVERTISED_ADDRESS);
  }

  /** @throws ConfigException saying which setting is wrong */
  public static RtcConfig of(Config config) {
    List<String> servers = new ArrayList<>();
    for (String server : config.get(ICE_SERVERS).split(",")) {
      String s = server.trim();
      if (s.isEmpty()) {
        continue;
      }
      String scheme = s.contains(":") ? s.substring(0, s.indexOf(':')).toLowerCase(Locale.ROOT) : "";
      if (!List.of("stun", "stuns", "turn", "turns").contains(scheme)) {
        throw new ConfigException(ICE_SERVERS.name() + ": '" + s + "' is not a stun:, stuns:, turn: or turns: URL");
      }
      servers.add(s);
    }
    int min = 0;
    int max = 0;
    String ports = config.get(UDP_PORTS).trim();
    if (!ports.isEmpty()) {
      String[] range = ports.split("-");
      try {
        min = Integer.parseInt(range[0].trim());
        max = Integer.parseInt(range[range.length - 1].trim());
      } catch (NumberFormatException e) {
        min = -1;
      }
      if (range.length > 2 || min < 1 || max > 65535 || min > max) {
        throw new ConfigException(UDP_PORTS.name() + ": expected first-last between 1 and 65535, got '" + ports + "'");
      }
    }
    String credential = config.get(TURN_CREDENTIAL);
    return new RtcConfig(List.copyOf(servers), config.get(TURN_USERNAME), credential == null ? "" : credential,
        min, max, config.get(ADVERTISED_ADDRESS).trim());
  }

  @Override
  public String toString() {
    // The TURN credential stays out of logs.
    return "RtcConfig[iceServers=" + iceServers + ", minPort=" + minPort + ", maxPort=" + maxPort
        + ", advertisedAddress=" + advertisedAddress + "]";
  }
}
