package io.capstan.notifier.status;

import static io.capstan.notifier.support.JobEvents.T0;
import static io.capstan.notifier.support.JobEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.notifier.support.JobEvents;
import io.capstan.schemas.AudioStreamStateChanged;
import io.capstan.schemas.Backuped;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.FileInfo;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.RecorderLeave;
import io.capstan.schemas.RecorderStarted;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.SliceStart;
import io.capstan.schemas.StatusUpdate;
import io.capstan.schemas.UidStatus;
import io.capstan.schemas.VideoStreamStateChanged;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusFolderTest {

  private static JobStatus foldAll(JobStatus start, List<RecordingEvent> events) {
    JobStatus status = start;
    for (RecordingEvent e : events) {
      status = StatusFolder.fold(status, e, status.getLastSequence() + 1);
    }
    return status;
  }

  @Test
  void aNormalRecordingEndsExitedWithItsFilesUploaded() {
    List<RecordingEvent> events = JobEvents.normalRecording("sid1");
    JobStatus status = foldAll(StatusFolder.empty("sid1"), events);

    assertThat(status.getStatus()).isEqualTo(8);
    assertThat(status.getExited()).isTrue();
    assertThat(status.getExitStatus()).isZero();
    assertThat(status.getFileList()).containsExactly(JobEvents.playlist("sid1"));
    assertThat(status.getUploadingStatus()).isEqualTo("uploaded");
    assertThat(status.getSliceStartTime()).isEqualTo(T0 + 40);
    assertThat(status.getUids()).containsExactly(new UidStatus("7", 0, 0, T0 + 20));
    assertThat(status.getLastSequence()).isEqualTo(events.size() - 1);
    assertThat(status.getUpdatedUtcMs()).isEqualTo(T0 + 9010);
    assertThat(status.getChannel()).isEqualTo("room-sid1");
    assertThat(status.getRecorderUid()).isEqualTo("527841");
    assertThat(status.getMode()).isEqualTo(RecordingMode.COMPOSITE);
  }

  @Test
  void fileInfoShowsPlaylistsWhileRecordingAndAFailoverNeverShortensTheList() {
    FileEntry a = FileEntry.newBuilder(JobEvents.playlist("j")).setFileName("j_c__uid_s_1__uid_e_av.m3u8").build();
    FileEntry b = FileEntry.newBuilder(JobEvents.playlist("j")).setFileName("j_c__uid_s_2__uid_e_av.m3u8").build();
    JobStatus s = StatusFolder.fold(StatusFolder.empty("j"), event("j", T0, new RecorderStarted(0)), 0);
    s = StatusFolder.fold(s, event("j", T0 + 1, new FileInfo(List.of(a), "")), 1);
    assertThat(s.getFileList()).containsExactly(a);
    // A new uploader instance knows only the playlist it stored itself.
    s = StatusFolder.fold(s, event("j", T0 + 2, new FileInfo(List.of(b), "")), 2);
    assertThat(s.getFileList()).containsExactly(a, b);
    assertThat(s.getStatus()).isEqualTo(5);
  }

  @Test
  void statusFollowsTheLifecycle() {
    JobStatus s = StatusFolder.empty("j");
    assertThat(s.getStatus()).isZero();
    s = StatusFolder.fold(s, event("j", T0, new RecorderStarted(0)), 0);
    assertThat(s.getStatus()).isEqualTo(5);
    s = StatusFolder.fold(s, event("j", T0 + 1, new StatusUpdate(6, 0, "")), 1);
    assertThat(s.getStatus()).isEqualTo(6);
    s = StatusFolder.fold(s, event("j", T0 + 2, new RecorderLeave(16)), 2);
    assertThat(s.getStatus()).isEqualTo(7);
    s = StatusFolder.fold(s, event("j", T0 + 3, new SessionExit(0)), 3);
    assertThat(s.getStatus()).isEqualTo(8);
  }

  @Test
  void anAbnormalExitIsStatus20AndNothingLaterRevivesIt() {
    JobStatus s = StatusFolder.fold(StatusFolder.empty("j"), event("j", T0, new RecorderStarted(0)), 0);
    s = StatusFolder.fold(s, event("j", T0 + 1, new SessionExit(4)), 1);
    assertThat(s.getStatus()).isEqualTo(20);
    assertThat(s.getExitStatus()).isEqualTo(4);
    s = StatusFolder.fold(s, event("j", T0 + 2, new StatusUpdate(5, 0, "")), 2);
    assertThat(s.getStatus()).isEqualTo(20);
    assertThat(s.getLastSequence()).isEqualTo(2);
  }

  @Test
  void onlyTheFirstSliceSetsSliceStartTime() {
    JobStatus s = StatusFolder.fold(StatusFolder.empty("j"),
        event("j", T0, SliceStart.newBuilder().setStartUtcMs(T0 + 40).setMixedAllUser(true).build()), 0);
    s = StatusFolder.fold(s, event("j", T0 + 1,
        SliceStart.newBuilder().setStartUtcMs(T0 + 90_000).setMixedAllUser(true).build()), 1);
    assertThat(s.getSliceStartTime()).isEqualTo(T0 + 40);
  }

  @Test
  void tracksAudioAndVideoPerUid() {
    JobStatus s = foldAll(StatusFolder.empty("j"), List.of(
        event("j", T0, new AudioStreamStateChanged("7", 0, T0)),
        event("j", T0, new VideoStreamStateChanged("8", 0, T0 + 1)),
        event("j", T0, new AudioStreamStateChanged("7", 1, T0 + 2))));
    assertThat(s.getUids()).containsExactly(new UidStatus("7", 1, 1, T0 + 2), new UidStatus("8", 1, 0, T0 + 1));
  }

  @Test
  void backupedKeepsItsFilesAndSaysSo() {
    JobStatus s = StatusFolder.fold(StatusFolder.empty("j"),
        event("j", T0, new Backuped(0, List.of(JobEvents.playlist("j")))), 0);
    assertThat(s.getUploadingStatus()).isEqualTo("backuped");
    assertThat(s.getFileList()).hasSize(1);
  }

  @Test
  void theSpecGivesModeAndResourceId() {
    JobSpec spec = JobEvents.spec("j", RecordingMode.INDIVIDUAL, List.of());
    JobStatus s = StatusFolder.withSpec(StatusFolder.empty("j"), spec);
    assertThat(s.getMode()).isEqualTo(RecordingMode.INDIVIDUAL);
    assertThat(s.getResourceId()).isEqualTo("rid-j");
    assertThat(s.getChannel()).isEqualTo("room-j");
    assertThat(s.getRecorderUid()).isEqualTo("527841");
    s = StatusFolder.fold(s, event("j", T0, new RecorderStarted(0)), 0);
    assertThat(s.getMode()).isEqualTo(RecordingMode.INDIVIDUAL);
  }
}
