package io.capstan.segmenter.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class FileNamesTest {

  private static final long UTC_MS = Instant.parse("2026-11-24T08:53:01.007Z").toEpochMilli();

  @Test
  void utcIsMillisecondPreciseInTheUtcZoneWhateverTheMachineZone() {
    TimeZone saved = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Asia/Shanghai"));
      assertThat(FileNames.utc(UTC_MS)).isEqualTo("20261124085301007");
    } finally {
      TimeZone.setDefault(saved);
    }
  }

  @Test
  void compositeNames() {
    assertThat(FileNames.compositePlaylist("sid1", "room")).isEqualTo("sid1_room.m3u8");
    assertThat(FileNames.compositeSlice("sid1", "room", UTC_MS)).isEqualTo("sid1_room_20261124085301007.ts");
    assertThat(FileNames.compositeMp4("sid1", "room", UTC_MS, 0)).isEqualTo("sid1_room_20261124085301007_0.mp4");
    assertThat(FileNames.compositeMp4("sid1", "room", UTC_MS, 3)).isEqualTo("sid1_room_20261124085301007_3.mp4");
  }

  @Test
  void webNamesHaveAFileSafeCnameAndNoUtcInTheirMp4Names() {
    assertThat(FileNames.webMp4("sid1", "room", 0)).isEqualTo("sid1_room_0.mp4");
    assertThat(FileNames.webMp4("sid1", "room", 2)).isEqualTo("sid1_room_2.mp4");
    assertThat(FileNames.webCname("my room/1:a*b?")).isEqualTo("my-room-1-a-b-");
    assertThat(FileNames.webCname("a.b_c-D9")).isEqualTo("a.b_c-D9");
    assertThat(FileNames.webMp4("sid1", "x y", 0)).isEqualTo("sid1_x-y_0.mp4");
  }

  @Test
  void individualNames() {
    assertThat(FileNames.individualPlaylist("sid1", "room", "42", TrackSet.AUDIO))
        .isEqualTo("sid1_room__uid_s_42__uid_e_audio.m3u8");
    assertThat(FileNames.individualPlaylist("sid1", "room", "42", TrackSet.AV))
        .isEqualTo("sid1_room__uid_s_42__uid_e_av.m3u8");
    assertThat(FileNames.individualSlice("sid1", "room", "42", TrackSet.VIDEO, UTC_MS))
        .isEqualTo("sid1_room__uid_s_42__uid_e_video_20261124085301007.ts");
    assertThat(FileNames.snapshot("sid1", "room", "42", UTC_MS))
        .isEqualTo("sid1_room__uid_s_42__uid_e_video_20261124085301007.jpg");
  }

  @Test
  void hlsNamesPickCompositeOrIndividual() {
    assertThat(HlsNames.composite("s", "c").playlist()).isEqualTo("s_c.m3u8");
    assertThat(HlsNames.composite("s", "c").slice(UTC_MS)).isEqualTo("s_c_20261124085301007.ts");
    assertThat(HlsNames.individual("s", "c", "7", TrackSet.AV).slice(UTC_MS))
        .isEqualTo("s_c__uid_s_7__uid_e_av_20261124085301007.ts");
  }

  @Test
  void trackTypes() {
    assertThat(TrackSet.AV.trackType()).isEqualTo("audio_and_video");
    assertThat(TrackSet.AUDIO.trackType()).isEqualTo("audio");
  }

  @Test
  void refusesEmptyParts() {
    assertThatThrownBy(() -> FileNames.compositePlaylist("", "c")).hasMessageContaining("sid");
    assertThatThrownBy(() -> FileNames.compositeMp4("s", "c", 0, -1)).hasMessageContaining("from 0");
  }
}
