package io.capstan.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RtcSettings reach libwebrtc: the port range and the advertised address show in the SDP. */
class SettingsTest {

  @Test
  void thePortRangeLimitsEveryCandidate() throws Exception {
    RtcSettings settings = RtcSettings.defaults().withPorts(41000, 41009);
    try (ReceiveSession a = ReceiveSession.offer(settings, ReceiveOptions.BOTH, new Collector(), SessionListener.NONE);
        ReceiveSession b = ReceiveSession.offer(settings, ReceiveOptions.BOTH, new Collector(), SessionListener.NONE)) {
      assertThat(Sdp.candidatePorts(a.localSdp())).isNotEmpty().allSatisfy(p -> assertThat(p).isBetween(41000, 41009));
      assertThat(Sdp.candidatePorts(b.localSdp())).isNotEmpty().allSatisfy(p -> assertThat(p).isBetween(41000, 41009));
      assertThat(a.localSdp()).doesNotContain(" tcp ");
    }
  }

  @Test
  /** IPv4 host candidates only: an IPv6 one keeps its address (a 1:1 NAT is an IPv4 affair). */
  void theAdvertisedAddressReplacesHostCandidatesAddresses() throws Exception {
    RtcSettings settings = RtcSettings.defaults().withAdvertisedAddress("203.0.113.77");
    try (ReceiveSession s = ReceiveSession.offer(settings, ReceiveOptions.BOTH, new Collector(), SessionListener.NONE)) {
      assertThat(s.localSdp()).containsPattern("a=candidate:\\S+ 1 udp \\d+ 203\\.0\\.113\\.77 \\d+ typ host");
      assertThat(s.localSdp().lines().filter(l -> l.startsWith("a=candidate:") && l.contains(" typ host") && !l.split(" ")[4].contains(":")))
          .allSatisfy(l -> assertThat(l).contains(" 203.0.113.77 "));
    }
  }

  @Test
  void aWhepOfferAsksForOpusAndVp8Vp9H264Only() throws Exception {
    try (ReceiveSession s = ReceiveSession.offer(RtcSettings.defaults(), ReceiveOptions.BOTH, new Collector(), SessionListener.NONE)) {
      String sdp = s.localSdp();
      assertThat(sdp).contains("a=recvonly").contains("opus/48000").contains("VP8/90000").contains("VP9/90000").contains("H264/90000")
          .doesNotContain("AV1").doesNotContain("PCMU");
    }
  }
}
