package io.capstan.gateway.recording;

import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.RecordingMode;

/**
 * One recording as the gateway sees it: its spec (from {@code capstan.jobs}, or the one this
 * gateway just sent) and its status (from {@code capstan.status}); either may be missing.
 */
record Job(String sid, JobSpec spec, JobStatus status, boolean stopRequested) {

  static final int RECORDING = 5;
  static final int STOP_REQUESTED = 6;
  static final int ALL_STOPPED = 7;
  static final int EXITED = 8;
  static final int EXITED_ABNORMALLY = 20;

  String resourceId() {
    if (spec != null && spec.getResourceId() != null) {
      return spec.getResourceId();
    }
    return status == null ? null : status.getResourceId();
  }

  RecordingMode mode() {
    return spec != null ? spec.getMode() : status.getMode();
  }

  String channel() {
    return spec != null ? spec.getChannel() : status.getChannel();
  }

  String recorderUid() {
    return spec != null ? spec.getRecorderUid() : status.getRecorderUid();
  }

  /** Over: query, update and stop answer 404 as for an unknown sid. */
  boolean ended() {
    if (status != null) {
      return ended(status);
    }
    return spec != null && !spec.getRunning() && spec.getStartedUtcMs() > 0;
  }

  /** Ended without making the recording (refused, nothing recorded, nowhere to store it). */
  boolean exitedAbnormally() {
    return status != null && ended(status) && status.getExitStatus() != 0;
  }

  /** On its way out: another stop (or an update) is an invalid operation. */
  boolean exiting() {
    return stopRequested
        || status != null && (status.getStatus() == STOP_REQUESTED || status.getStatus() == ALL_STOPPED)
        || spec != null && !spec.getRunning();
  }

  static boolean ended(JobStatus status) {
    return status.getExited() || status.getStatus() == EXITED || status.getStatus() == EXITED_ABNORMALLY;
  }

  /** What a synchronous stop waits for: the uploads are done, or the recording has exited. */
  static boolean finished(JobStatus status) {
    return ended(status) || "uploaded".equals(status.getUploadingStatus())
        || "backuped".equals(status.getUploadingStatus());
  }
}
