package io.capstan.storage.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.storage.LocalStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingFilesTest {

  static final String SID = "0123456789abcdef0123456789abcdef";

  @Test
  void uidsAndTheirPlaylistsComeFromTheNames() {
    RecordingFiles files = RecordingFiles.fromNames(SID, "", List.of(
        SID + "_my_room__uid_s_7__uid_e_audio.m3u8",
        SID + "_my_room__uid_s_7__uid_e_video.m3u8",
        SID + "_my_room__uid_s_7__uid_e_video_20261124102903295.ts",
        SID + "_my_room__uid_s_12__uid_e_av.m3u8",
        "other_room.m3u8"));
    assertThat(files.cname()).isEqualTo("my_room");
    assertThat(files.composite()).isNull();
    assertThat(files.uids()).containsOnlyKeys("7", "12");
    assertThat(files.uid("7").orElseThrow().all()).containsExactly(SID + "_my_room__uid_s_7__uid_e_video.m3u8",
        SID + "_my_room__uid_s_7__uid_e_audio.m3u8");
    assertThat(files.uid("12").orElseThrow().av()).isEqualTo(SID + "_my_room__uid_s_12__uid_e_av.m3u8");
  }

  @Test
  void theCompositePlaylist() {
    RecordingFiles files = RecordingFiles.fromNames(SID, "a/", List.of(SID + "_room.m3u8", SID + "_room_1.ts"));
    assertThat(files.composite()).isEqualTo(SID + "_room.m3u8");
    assertThat(files.cname()).isEqualTo("room");
    assertThat(files.key(files.composite())).isEqualTo("a/" + SID + "_room.m3u8");
  }

  @Test
  void aLocalCopyLeavesOutWhatIsGoneAndSaysSo(@TempDir Path bucket, @TempDir Path to) throws Exception {
    LocalStore store = new LocalStore(bucket);
    String playlist = """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-TARGETDURATION:2
        #EXT-X-PROGRAM-DATE-TIME:2026-11-24T10:29:03.000Z
        #EXTINF:2.000,
        a.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-11-24T10:29:05.000Z
        #EXTINF:2.000,
        b.ts
        #EXT-X-DISCONTINUITY
        #EXT-X-PROGRAM-DATE-TIME:2026-11-24T10:29:10.000Z
        #EXTINF:1.500,
        c.ts
        #EXT-X-ENDLIST
        """;
    String name = SID + "_room__uid_s_1__uid_e_video.m3u8";
    store.put("p/" + name, ByteBuffer.wrap(playlist.getBytes(StandardCharsets.UTF_8)), 0, true);
    store.put("p/a.ts", ByteBuffer.wrap(new byte[] {1}), 0, true);
    store.put("p/c.ts", ByteBuffer.wrap(new byte[] {3}), 0, true);
    RecordingFiles files = RecordingFiles.find(store, List.of("p"), SID);
    LocalCopy copy = LocalCopy.of(store, files, name, to, LocalCopy.Progress.NONE);
    assertThat(copy.missing()).extracting(LocalCopy.Missing::fileName).containsExactly("b.ts");
    assertThat(copy.parsed().slices()).hasSize(3);
    assertThat(copy.local().slices()).extracting(StoredPlaylist.Slice::uri).containsExactly("a.ts", "c.ts");
    assertThat(copy.local().slices().get(1).discontinuity()).isTrue();
    assertThat(to.resolve("a.ts")).exists();
    StoredPlaylist reread = StoredPlaylist.parse(java.nio.file.Files.readString(copy.playlist()));
    assertThat(reread.slices()).extracting(StoredPlaylist.Slice::uri).containsExactly("a.ts", "c.ts");
    assertThat(reread.startUtcMs()).isEqualTo(java.time.Instant.parse("2026-11-24T10:29:03Z").toEpochMilli());
    assertThat(reread.endUtcMs()).isEqualTo(java.time.Instant.parse("2026-11-24T10:29:11.500Z").toEpochMilli());
    assertThat(copy.playable()).isTrue();
  }
}
