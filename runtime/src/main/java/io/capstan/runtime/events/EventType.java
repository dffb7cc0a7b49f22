package io.capstan.runtime.events;

import io.capstan.schemas.AudioStreamStateChanged;
import io.capstan.schemas.Backuped;
import io.capstan.schemas.DownloadFailed;
import io.capstan.schemas.PostponeTranscodeFinalResult;
import io.capstan.schemas.RtmpPublishStatus;
import io.capstan.schemas.TranscoderCompleted;
import io.capstan.schemas.TranscoderStarted;
import io.capstan.schemas.WebRecorderCapabilityLimit;
import io.capstan.schemas.WebRecorderReload;
import io.capstan.schemas.WebRecorderStarted;
import io.capstan.schemas.WebRecorderStopped;
import io.capstan.schemas.FileInfo;
import io.capstan.schemas.RecorderLeave;
import io.capstan.schemas.RecorderStarted;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.RecordingWarning;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.SessionFailover;
import io.capstan.schemas.SliceStart;
import io.capstan.schemas.SnapshotFile;
import io.capstan.schemas.StatusUpdate;
import io.capstan.schemas.Uploaded;
import io.capstan.schemas.UploaderStarted;
import io.capstan.schemas.UploadingProgress;
import io.capstan.schemas.VideoStreamStateChanged;
import java.util.Arrays;

/** The reference's callback events: number, msgName and serviceType, keyed by their details type. */
public enum EventType {
  CLOUD_RECORDING_ERROR(1, "cloud_recording_error", 0, RecordingError.class),
  CLOUD_RECORDING_WARNING(2, "cloud_recording_warning", 0, RecordingWarning.class),
  CLOUD_RECORDING_STATUS_UPDATE(3, "cloud_recording_status_update", 0, StatusUpdate.class),
  CLOUD_RECORDING_FILE_INFO(4, "cloud_recording_file_infos", 0, FileInfo.class),
  SESSION_EXIT(11, "session_exit", 0, SessionExit.class),
  SESSION_FAILOVER(12, "session_failover", 0, SessionFailover.class),
  UPLOADER_STARTED(30, "uploader_started", 2, UploaderStarted.class),
  UPLOADED(31, "uploaded", 2, Uploaded.class),
  BACKUPED(32, "backuped", 2, Backuped.class),
  UPLOADING_PROGRESS(33, "uploading_progress", 2, UploadingProgress.class),
  RECORDER_STARTED(40, "recorder_started", 1, RecorderStarted.class),
  RECORDER_LEAVE(41, "recorder_leave", 1, RecorderLeave.class),
  RECORDER_SLICE_START(42, "recorder_slice_start", 1, SliceStart.class),
  RECORDER_AUDIO_STREAM_STATE_CHANGED(43, "recorder_audio_stream_state_changed", 1, AudioStreamStateChanged.class),
  RECORDER_VIDEO_STREAM_STATE_CHANGED(44, "recorder_video_stream_state_changed", 1, VideoStreamStateChanged.class),
  RECORDER_SNAPSHOT_FILE(45, "recorder_snapshot_file", 1, SnapshotFile.class),
  WEB_RECORDER_STARTED(70, "web_recorder_started", 6, WebRecorderStarted.class),
  WEB_RECORDER_STOPPED(71, "web_recorder_stopped", 6, WebRecorderStopped.class),
  WEB_RECORDER_CAPABILITY_LIMIT(72, "web_recorder_capability_limit", 6, WebRecorderCapabilityLimit.class),
  WEB_RECORDER_RELOAD(73, "web_recorder_reload", 6, WebRecorderReload.class),
  TRANSCODER_STARTED(80, "transcoder_started", 0, TranscoderStarted.class),
  TRANSCODER_COMPLETED(81, "transcoder_completed", 0, TranscoderCompleted.class),
  DOWNLOAD_FAILED(90, "download_failed", 8, DownloadFailed.class),
  RTMP_PUBLISH_STATUS(100, "rtmp_publish_status", 6, RtmpPublishStatus.class),
  POSTPONE_TRANSCODE_FINAL_RESULT(1001, "postpone_transcode_final_result", 0, PostponeTranscodeFinalResult.class);

  private final int code;
  private final String msgName;
  private final int serviceType;
  private final Class<?> detailsType;

  EventType(int code, String msgName, int serviceType, Class<?> detailsType) {
    this.code = code;
    this.msgName = msgName;
    this.serviceType = serviceType;
    this.detailsType = detailsType;
  }

  public int code() {
    return code;
  }

  public String msgName() {
    return msgName;
  }

  public int serviceType() {
    return serviceType;
  }

  public static EventType of(Object details) {
    return Arrays.stream(values()).filter(t -> t.detailsType.isInstance(details)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no event type for " + details.getClass().getSimpleName()));
  }
}
