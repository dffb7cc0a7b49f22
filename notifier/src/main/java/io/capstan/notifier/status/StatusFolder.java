package io.capstan.notifier.status;

import io.capstan.schemas.AudioStreamStateChanged;
import io.capstan.schemas.Backuped;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.FileInfo;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.RecorderLeave;
import io.capstan.schemas.RecorderStarted;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.SliceStart;
import io.capstan.schemas.StatusUpdate;
import io.capstan.schemas.UidStatus;
import io.capstan.schemas.Uploaded;
import io.capstan.schemas.VideoStreamStateChanged;
import io.capstan.schemas.serde.AvroTrust;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a job's events, in sequence order, into the {@link JobStatus} that {@code query} answers.
 * Pure: no Kafka, no clock (times come from the events), so replaying a job's events always
 * gives the same status.
 */
public final class StatusFolder {

  /** query serverResponse.status values (reference, "REST API"). */
  public static final int NOT_STARTED = 0;
  public static final int RECORDING = 5;
  public static final int STOPPED = 7;
  public static final int EXITED = 8;
  public static final int EXITED_ABNORMALLY = 20;

  static {
    AvroTrust.install(); // builders resolve the defaults of array fields through Avro's class allow-list
  }

  private StatusFolder() {
  }

  /** The status of a job nothing has happened to yet. */
  public static JobStatus empty(String jobId) {
    return JobStatus.newBuilder()
        .setJobId(jobId)
        .setChannel("")
        .setRecorderUid("")
        .setMode(RecordingMode.COMPOSITE)
        .setStatus(NOT_STARTED)
        .setUpdatedUtcMs(0)
        .build();
  }

  /** Takes what the status shows of the job's spec: mode, resourceId, channel and recorder uid. */
  public static JobStatus withSpec(JobStatus current, JobSpec spec) {
    JobStatus.Builder next = JobStatus.newBuilder(current).setMode(spec.getMode());
    if (spec.getResourceId() != null) {
      next.setResourceId(spec.getResourceId());
    }
    if (current.getChannel().isEmpty()) {
      next.setChannel(spec.getChannel());
    }
    if (current.getRecorderUid().isEmpty()) {
      next.setRecorderUid(spec.getRecorderUid());
    }
    WebStatusFolder.withSpec(next, spec);
    return next.build();
  }

  /** The status after {@code event}, the job's event number {@code sequence}. */
  public static JobStatus fold(JobStatus current, RecordingEvent event, long sequence) {
    JobStatus.Builder next = JobStatus.newBuilder(current)
        .setLastSequence(sequence)
        .setUpdatedUtcMs(Math.max(current.getUpdatedUtcMs(), event.getUtcMs()));
    if (!event.getChannel().isEmpty()) {
      next.setChannel(event.getChannel());
    }
    if (!event.getRecorderUid().isEmpty()) {
      next.setRecorderUid(event.getRecorderUid());
    }
    Object details = event.getDetails();
    if (details instanceof RecorderStarted) {
      setStatus(next, current, RECORDING);
    } else if (details instanceof StatusUpdate update) {
      setStatus(next, current, update.getStatus());
    } else if (details instanceof RecorderLeave) {
      setStatus(next, current, STOPPED);
    } else if (details instanceof SessionExit exit) {
      next.setStatus(exit.getExitStatus() == 0 ? EXITED : EXITED_ABNORMALLY)
          .setExited(true)
          .setExitStatus(exit.getExitStatus());
    } else if (details instanceof RecordingError error) {
      // The first error is the cause ("no capacity", "cannot open the source"); later ones follow from it.
      if (current.getFirstError() == null) {
        next.setFirstError(error.getErrorMsg());
      }
    } else if (details instanceof FileInfo info) {
      addFiles(next, current.getFileList(), info.getFileList());
    } else if (details instanceof Uploaded uploaded) {
      replaceFiles(next, uploaded.getFileList());
      next.setUploadingStatus("uploaded");
    } else if (details instanceof Backuped backuped) {
      replaceFiles(next, backuped.getFileList());
      next.setUploadingStatus("backuped");
    } else if (details instanceof SliceStart slice) {
      if (current.getSliceStartTime() == 0) {
        next.setSliceStartTime(slice.getStartUtcMs());
      }
    } else if (details instanceof AudioStreamStateChanged audio) {
      UidStatus uid = uid(next, audio.getStreamUid());
      uid.setAudioState(audio.getState());
      uid.setUtcMs(audio.getUtcMs());
    } else if (details instanceof VideoStreamStateChanged video) {
      UidStatus uid = uid(next, video.getStreamUid());
      uid.setVideoState(video.getState());
      uid.setUtcMs(video.getUtcMs());
    } else {
      WebStatusFolder.fold(next, details);
    }
    return next.build();
  }

  /** Once a job has exited, late events (a straggling status update) do not bring it back to life. */
  private static void setStatus(JobStatus.Builder next, JobStatus current, int status) {
    if (!current.getExited()) {
      next.setStatus(status);
    }
  }

  /** File events carry the recording's whole list so far; an empty list says nothing new. */
  private static void replaceFiles(JobStatus.Builder next, List<FileEntry> files) {
    if (!files.isEmpty()) {
      next.setFileList(new ArrayList<>(files));
    }
  }

  /**
   * cloud_recording_file_info lists the files one uploader instance has stored so far: after a
   * failover it may not know those stored before, so it adds to the list, never shortens it.
   */
  private static void addFiles(JobStatus.Builder next, List<FileEntry> known, List<FileEntry> files) {
    Map<String, FileEntry> all = new LinkedHashMap<>();
    known.forEach(f -> all.put(f.getFileName(), f));
    files.forEach(f -> all.put(f.getFileName(), f));
    next.setFileList(new ArrayList<>(all.values()));
  }

  /** The builder's (copied, mutable) entry for {@code uid}, added when new. */
  private static UidStatus uid(JobStatus.Builder next, String uid) {
    List<UidStatus> uids = new ArrayList<>();
    UidStatus found = null;
    for (UidStatus u : next.getUids()) {
      UidStatus copy = UidStatus.newBuilder(u).build();
      uids.add(copy);
      if (u.getUid().equals(uid)) {
        found = copy;
      }
    }
    if (found == null) {
      found = UidStatus.newBuilder().setUid(uid).build();
      uids.add(found);
    }
    next.setUids(uids);
    return found;
  }
}
