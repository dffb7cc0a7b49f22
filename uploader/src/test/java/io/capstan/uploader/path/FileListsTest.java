package io.capstan.uploader.path;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.schemas.FileEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileListsTest {

  @Test
  void playlistsOfTheJobWithTheirFirstSlice() {
    List<FileEntry> files = FileLists.fromNames("sid1", "room", List.of(
        "sid1_room_20261118014330000.ts", "sid1_room_20261118014320000.ts", "sid1_room.m3u8",
        "sid1_room__uid_s_42__uid_e_audio.m3u8", "sid1_room__uid_s_42__uid_e_audio_20261118014325500.ts",
        "sid1_room__uid_s_7__uid_e_av.m3u8", "sid1_other.m3u8", "notes.txt"));
    assertThat(files).containsExactly(
        FileEntry.newBuilder().setFileName("sid1_room.m3u8").setTrackType("audio_and_video").setUid("0")
            .setMixedAllUser(true).setIsPlayable(true).setSliceStartTime(1794966200000L).build(),
        FileEntry.newBuilder().setFileName("sid1_room__uid_s_42__uid_e_audio.m3u8").setTrackType("audio").setUid("42")
            .setMixedAllUser(false).setIsPlayable(true).setSliceStartTime(1794966205500L).build(),
        FileEntry.newBuilder().setFileName("sid1_room__uid_s_7__uid_e_av.m3u8").setTrackType("audio_and_video")
            .setUid("7").setMixedAllUser(false).setIsPlayable(true).setSliceStartTime(0).build());
  }
}
