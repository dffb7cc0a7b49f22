package io.capstan.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SdpTest {

  static final String SDP = String.join("\r\n",
      "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
      "m=audio 50000 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 10.1.2.3", "a=ice-ufrag:abcd", "a=mid:0",
      "a=candidate:1 1 udp 2122260223 10.1.2.3 50000 typ host generation 0",
      "a=candidate:2 1 udp 2122262783 fd00::1 50002 typ host generation 0",
      "a=candidate:3 1 udp 1686052607 198.51.100.7 50000 typ srflx raddr 10.1.2.3 rport 50000",
      "m=video 50000 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 10.1.2.3", "a=mid:1", "") ;

  @Test
  void advertisingRewritesHostCandidatesOfTheSameFamilyAndTheirConnectionLines() {
    String out = Sdp.advertise(SDP, "203.0.113.9");
    assertThat(out).contains("a=candidate:1 1 udp 2122260223 203.0.113.9 50000 typ host generation 0")
        .contains("a=candidate:2 1 udp 2122262783 fd00::1 50002 typ host")
        .contains("198.51.100.7 50000 typ srflx raddr 10.1.2.3")
        .doesNotContain("c=IN IP4 10.1.2.3");
    assertThat(Sdp.advertise(SDP, null)).isSameAs(SDP);
  }

  @Test
  void aTrickleFragmentGivesCandidatesByMid() {
    Sdp.Fragment f = Sdp.fragment("a=ice-ufrag:abcd\r\na=ice-pwd:x\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:1\r\n"
        + "a=candidate:1 1 udp 2122260223 10.0.0.1 4000 typ host\r\na=end-of-candidates\r\n");
    assertThat(f.ufrag()).isEqualTo("abcd");
    assertThat(f.candidates()).containsExactly(new Sdp.Candidate("1", "candidate:1 1 udp 2122260223 10.0.0.1 4000 typ host"));
    assertThat(Sdp.mids(SDP)).containsExactly("0", "1");
  }

  @Test
  void anSsrcGroupNamingAnUndeclaredStreamIsDroppedAndADeclaredOneKept() {
    // FFmpeg's whip muxer: an RTX group whose second SSRC no a=ssrc line describes.
    String offer = String.join("\r\n", "v=0", "m=video 9 UDP/TLS/RTP/SAVPF 106 107", "a=mid:1",
        "a=ssrc-group:FID 128534782 128534783", "a=ssrc:128534782 cname:FFmpeg",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=mid:0", "a=ssrc-group:FID 5 6", "a=ssrc:5 cname:x", "a=ssrc:6 cname:x", "");

    String repaired = Sdp.withoutDanglingSsrcGroups(offer);

    assertThat(repaired).doesNotContain("a=ssrc-group:FID 128534782 128534783")
        .contains("a=ssrc:128534782 cname:FFmpeg")
        .contains("a=ssrc-group:FID 5 6");
  }
}
