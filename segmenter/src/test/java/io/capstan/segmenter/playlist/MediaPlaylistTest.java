package io.capstan.segmenter.playlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MediaPlaylistTest {

  private static final long T0 = Instant.parse("2026-11-24T08:53:01.000Z").toEpochMilli();

  @Test
  void rendersALivePlaylist() {
    MediaPlaylist p = new MediaPlaylist();
    p.add(new PlaylistEntry("a_0.ts", 10_000_000, T0, false));
    p.add(new PlaylistEntry("a_1.ts", 9_966_667, T0 + 10_000, false));
    assertThat(p.render()).isEqualTo("""
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-TARGETDURATION:10
        #EXT-X-MEDIA-SEQUENCE:0
        #EXT-X-PLAYLIST-TYPE:EVENT
        #EXT-X-PROGRAM-DATE-TIME:2026-11-24T08:53:01.000Z
        #EXTINF:10.000,
        a_0.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-11-24T08:53:11.000Z
        #EXTINF:9.967,
        a_1.ts
        """);
  }

  @Test
  void targetDurationIsTheLongestExtinfRoundedUp() {
    MediaPlaylist p = new MediaPlaylist();
    p.add(new PlaylistEntry("a.ts", 2_000_400, T0, false));
    assertThat(p.targetDuration()).as("2.000 rounds up to 2").isEqualTo(2);
    p.add(new PlaylistEntry("b.ts", 2_021_333, T0, false));
    assertThat(p.targetDuration()).isEqualTo(3);
    assertThat(new MediaPlaylist().targetDuration()).isEqualTo(1);
  }

  @Test
  void discontinuityAndEnd() {
    MediaPlaylist p = new MediaPlaylist();
    p.add(new PlaylistEntry("a.ts", 4_000_000, T0, false));
    p.add(new PlaylistEntry("b.ts", 1_500_000, T0 + 90_000, true));
    p.end();
    String text = p.render();
    assertThat(text).contains("a.ts\n#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:2026-11-24T08:54:31.000Z\n"
        + "#EXTINF:1.500,\nb.ts\n#EXT-X-ENDLIST\n");
    assertThat(text).endsWith("#EXT-X-ENDLIST\n");
    assertThatThrownBy(() -> p.add(new PlaylistEntry("c.ts", 1, T0, false))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void parsesWhatItRenders() {
    MediaPlaylist p = new MediaPlaylist();
    p.add(new PlaylistEntry("a.ts", 2_000_000, T0, false));
    p.add(new PlaylistEntry("b.ts", 1_234_000, T0 + 2_000, true));
    MediaPlaylist back = PlaylistParser.parse(p.render());
    assertThat(back.entries()).isEqualTo(p.entries());
    assertThat(back.ended()).isFalse();
    p.end();
    assertThat(PlaylistParser.parse(p.render()).render()).isEqualTo(p.render());
  }

  @Test
  void fmp4SlicesNameTheirInitSegmentOnceAndParseBack() {
    MediaPlaylist playlist = new MediaPlaylist();
    playlist.add(new PlaylistEntry("a.m4s", 2_000_000, 1_000, false, "s_c_init_0a.m4s"));
    playlist.add(new PlaylistEntry("b.m4s", 2_000_000, 3_000, false, "s_c_init_0a.m4s"));
    playlist.add(new PlaylistEntry("c.m4s", 1_500_000, 9_000, true, "s_c_init_0b.m4s"));
    playlist.end();
    String text = playlist.render();
    assertThat(text).contains("#EXT-X-VERSION:7");
    assertThat(text.lines().filter(l -> l.startsWith("#EXT-X-MAP:"))).containsExactly(
        "#EXT-X-MAP:URI=\"s_c_init_0a.m4s\"", "#EXT-X-MAP:URI=\"s_c_init_0b.m4s\"");
    assertThat(PlaylistParser.parse(text).entries()).isEqualTo(playlist.entries());
  }
}
