package io.capstan.notifier.status;

import io.capstan.schemas.FileEntry;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StatusUpdate;

/**
 * cloud_recording_status_update (3) carries the recording's mode and its playlist besides its
 * status. The service that sends it (ingest, as the job ends) does not name files; the job's folded
 * status knows both, so they are filled in here, before the event becomes a notice.
 */
final class StatusUpdateDetails {

  /** Agora's recordingMode: 0 composite (Capstan's web recordings too: one file of everything), 1 individual. */
  static final int COMPOSITE = 0;
  static final int INDIVIDUAL = 1;

  private StatusUpdateDetails() {
  }

  /** {@code event} itself unless it is a status update; then a copy with recordingMode and fileList. */
  static RecordingEvent completed(RecordingEvent event, JobStatus status) {
    if (!(event.getDetails() instanceof StatusUpdate update)) {
      return event;
    }
    boolean individual = status.getMode() == RecordingMode.INDIVIDUAL;
    // Individual recordings have a playlist per uid and track, not one index file: fileList stays "".
    String playlist = individual ? "" : status.getFileList().stream().map(FileEntry::getFileName)
        .filter(n -> n.endsWith(".m3u8")).findFirst().orElse("");
    StatusUpdate completed = StatusUpdate.newBuilder(update)
        .setRecordingMode(individual ? INDIVIDUAL : COMPOSITE)
        .setFileList(playlist)
        .build();
    return RecordingEvent.newBuilder(event).setDetails(completed).build();
  }
}
