package io.capstan.gateway.whip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WhipPathTest {

  @Test
  void eachWhipResourceIsTakenApart() {
    assertThat(WhipPath.of("/v1/apps/a1/whip")).isEqualTo(new WhipPath(WhipPath.Kind.PAGE, "a1", null, null, null));
    assertThat(WhipPath.of("/v1/apps/a1/whip/class%207/101"))
        .isEqualTo(new WhipPath(WhipPath.Kind.ENDPOINT, "a1", "class 7", "101", null));
    assertThat(WhipPath.of("/v1/apps/a1/whip/c/101/token").kind()).isEqualTo(WhipPath.Kind.TOKEN);
    assertThat(WhipPath.of("/v1/apps/a1/whip/c/101/abc")).isEqualTo(new WhipPath(WhipPath.Kind.SESSION, "a1", "c", "101",
        "abc"));
    assertThat(WhipPath.of("/v1/apps/a1/whip/c/101/abc/media").kind()).isEqualTo(WhipPath.Kind.MEDIA);
    assertThat(WhipPath.of("/v1/apps/a1/whip/c")).isNull();
    assertThat(WhipPath.matches("/v1/apps/a1/cloud_recording/acquire")).isFalse();
    assertThat(WhipPath.endpoint("a1", "class 7", "101")).isEqualTo("/v1/apps/a1/whip/class%207/101");
  }

  @Test
  void anOfferSaysWhatItSends() {
    String both = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendonly\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=sendonly\r\n";
    assertThat(OfferMedia.of(both)).isEqualTo(new OfferMedia(true, true));
    String audioOnly = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\n";
    assertThat(OfferMedia.of(audioOnly)).isEqualTo(new OfferMedia(true, false));
    String receiving = "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=recvonly\r\n";
    assertThat(OfferMedia.of(receiving)).isEqualTo(new OfferMedia(false, false));
  }
}
