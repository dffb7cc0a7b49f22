package io.capstan.webrtc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The few SDP edits and readings we need, on text: no SDP model, nothing native. */
final class Sdp {

  private Sdp() {
  }

  /** One remote candidate from a trickle fragment: its m-line's mid and the attribute without "a=". */
  record Candidate(String mid, String line) {
  }

  /** The ICE credentials and candidates of an application/trickle-ice-sdpfrag body (RFC 8840). */
  record Fragment(String ufrag, List<Candidate> candidates) {
  }

  /**
   * Rewrites the address of host candidates of the advertised address's family (IPv4 or IPv6) to
   * it, and the c= lines that named one of the rewritten addresses: for a 1:1 NAT, where the peer
   * must reach us at an address no local interface has.
   */
  static String advertise(String sdp, String address) {
    if (address == null) {
      return sdp;
    }
    boolean v6 = address.contains(":");
    Set<String> rewritten = new LinkedHashSet<>();
    List<String> out = new ArrayList<>();
    for (String line : lines(sdp)) {
      if (line.startsWith("a=candidate:")) {
        String[] f = line.split(" ");
        if (f.length >= 8 && f[6].equals("typ") && f[7].equals("host") && f[4].contains(":") == v6) {
          rewritten.add(f[4]);
          f[4] = address;
          line = String.join(" ", f);
        }
      }
      out.add(line);
    }
    String family = v6 ? "IP6" : "IP4";
    for (int i = 0; i < out.size(); i++) {
      String line = out.get(i);
      if (line.startsWith("c=IN " + family + " ") && rewritten.contains(line.substring(9).trim())) {
        out.set(i, "c=IN " + family + " " + address);
      }
    }
    return String.join("\r\n", out) + "\r\n";
  }

  /** The a=mid values in m-line order: index i is the m-line index libwebrtc wants with a candidate. */
  static List<String> mids(String sdp) {
    List<String> mids = new ArrayList<>();
    for (String line : lines(sdp)) {
      if (line.startsWith("m=")) {
        mids.add(null);
      } else if (line.startsWith("a=mid:") && !mids.isEmpty()) {
        mids.set(mids.size() - 1, line.substring(6).trim());
      }
    }
    return mids;
  }

  /** The first a=ice-ufrag of a description or fragment, or null. */
  static String ufrag(String sdp) {
    for (String line : lines(sdp)) {
      if (line.startsWith("a=ice-ufrag:")) {
        return line.substring(12).trim();
      }
    }
    return null;
  }

  /** Reads a trickle fragment; a candidate before any a=mid belongs to the first m-line (mid null). */
  static Fragment fragment(String body) {
    String mid = null;
    List<Candidate> candidates = new ArrayList<>();
    for (String line : lines(body)) {
      if (line.startsWith("a=mid:")) {
        mid = line.substring(6).trim();
      } else if (line.startsWith("a=candidate:")) {
        candidates.add(new Candidate(mid, line.substring(2)));
      }
    }
    return new Fragment(ufrag(body), candidates);
  }

  /** The ports of the candidates (of any type) in a description. */
  static List<Integer> candidatePorts(String sdp) {
    List<Integer> ports = new ArrayList<>();
    for (String line : lines(sdp)) {
      if (line.startsWith("a=candidate:")) {
        String[] f = line.split(" ");
        if (f.length > 5) {
          ports.add(Integer.parseInt(f[5]));
        }
      }
    }
    return ports;
  }

  /**
   * Drops {@code a=ssrc-group} lines that name an SSRC their media section never declares with
   * {@code a=ssrc}: FFmpeg's whip muxer announces an RTX group without describing the RTX stream,
   * and libwebrtc refuses such an offer whole ("Failed to add remote stream ssrc").
   */
  static String withoutDanglingSsrcGroups(String sdp) {
    List<String> all = lines(sdp);
    List<String> out = new ArrayList<>(all.size());
    int section = 0;
    while (section < all.size()) {
      int end = section + 1;
      while (end < all.size() && !all.get(end).startsWith("m=")) {
        end++;
      }
      List<String> lines = all.subList(section, end);
      Set<String> declared = new LinkedHashSet<>();
      for (String line : lines) {
        if (line.startsWith("a=ssrc:")) {
          declared.add(line.substring("a=ssrc:".length()).split(" ", 2)[0]);
        }
      }
      for (String line : lines) {
        if (line.startsWith("a=ssrc-group:")) {
          String[] fields = line.split(" ");
          boolean dangling = false;
          for (int i = 1; i < fields.length; i++) {
            dangling |= !declared.contains(fields[i]);
          }
          if (dangling) {
            continue;
          }
        }
        out.add(line);
      }
      section = end;
    }
    return String.join("\r\n", out) + "\r\n";
  }

  /** The first IPv4 UDP host candidate's address and port, or null. */
  static java.net.InetSocketAddress firstHostCandidate(String sdp) {
    for (String line : lines(sdp)) {
      String[] f = line.split(" ");
      if (line.startsWith("a=candidate:") && f.length >= 8 && f[2].equalsIgnoreCase("udp") && f[7].equals("host")
          && f[4].matches("[0-9.]+")) {
        return new java.net.InetSocketAddress(f[4], Integer.parseInt(f[5]));
      }
    }
    return null;
  }

  /** The SDP with the first IPv4 UDP host candidate's port changed to {@code port}. */
  static String withFirstHostCandidatePort(String sdp, int port) {
    List<String> out = new ArrayList<>();
    boolean done = false;
    for (String line : lines(sdp)) {
      String[] f = line.split(" ");
      if (!done && line.startsWith("a=candidate:") && f.length >= 8 && f[2].equalsIgnoreCase("udp")
          && f[7].equals("host") && f[4].matches("[0-9.]+")) {
        f[5] = String.valueOf(port);
        line = String.join(" ", f);
        done = true;
      }
      out.add(line);
    }
    return String.join("\r\n", out) + "\r\n";
  }

  /** The first a=ice-pwd, or null. */
  static String icePwd(String sdp) {
    for (String line : lines(sdp)) {
      if (line.startsWith("a=ice-pwd:")) {
        return line.substring("a=ice-pwd:".length()).trim();
      }
    }
    return null;
  }

  private static List<String> lines(String sdp) {
    List<String> lines = new ArrayList<>();
    for (String line : sdp.split("\r?\n")) {
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    return lines;
  }
}
