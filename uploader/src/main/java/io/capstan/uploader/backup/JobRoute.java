package io.capstan.uploader.backup;

import io.capstan.schemas.FileEntry;
import io.capstan.schemas.JobSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Where a job's next file goes, shared by the delivery (which writes files) and the copier (which
 * moves backed-up files to the primary). A job's files go to the backup once its primary has failed
 * for longer than the threshold, and keep going there while any of its backed-up files is still
 * owed to the primary: so the primary receives the job's files in their original order (a playlist
 * never overtakes a slice it names, and an old playlist never overwrites a newer one).
 */
public final class JobRoute {

  private final String jobId;
  private final Deque<BackupFile> owed = new ArrayDeque<>();
  private long failingSinceMs;
  private boolean backedUpAny;
  private JobSpec endedSpec;
  private List<FileEntry> endedFiles;

  JobRoute(String jobId) {
    this.jobId = jobId;
  }

  public String jobId() {
    return jobId;
  }

  /** True when the job's next file must go to the backup. */
  public synchronized boolean toBackup(long nowMs, Duration after) {
    return !owed.isEmpty() || (failingSinceMs > 0 && nowMs - failingSinceMs >= after.toMillis());
  }

  public synchronized void primaryFailed(long nowMs) {
    if (failingSinceMs == 0) {
      failingSinceMs = nowMs;
    }
  }

  public synchronized void primaryOk() {
    failingSinceMs = 0;
  }

  public synchronized boolean backedUpAny() {
    return backedUpAny;
  }

  synchronized void owe(BackupFile file) {
    owed.addLast(file);
    backedUpAny = true;
  }

  synchronized BackupFile head() {
    return owed.peekFirst();
  }

  /** {@code file} reached the primary: the primary works again. True when nothing more is owed. */
  synchronized boolean copied(BackupFile file) {
    owed.remove(file);
    if (owed.isEmpty()) {
      failingSinceMs = 0;
    }
    return owed.isEmpty();
  }

  synchronized int owedCount() {
    return owed.size();
  }

  /** The job's files are all in (primary or backup); the copier reports Uploaded once none is owed. */
  synchronized void ended(JobSpec spec, List<FileEntry> files) {
    endedSpec = spec;
    endedFiles = List.copyOf(files);
  }

  synchronized JobSpec endedSpec() {
    return endedSpec;
  }

  synchronized List<FileEntry> endedFiles() {
    return endedFiles;
  }
}
