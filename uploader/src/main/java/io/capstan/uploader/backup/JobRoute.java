package io.capstan.uploader.backup;

import io.capstan.schemas.FileEntry;
import io.capstan.schemas.JobSpec;
import io.capstan.storage.StoreException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
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
  private final Map<String, Integer> versions = new HashMap<>();
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

  /** The write that completes a file in the backup store. */
  interface LastWrite {
    void run() throws StoreException;
  }

  /**
   * Completes {@code backupKey} in the backup (a newer version of it, maybe) under this lock, so the
   * copier's check-and-delete in {@link #copied} sees either none or all of it.
   */
  synchronized void writeLast(String backupKey, LastWrite write) throws StoreException {
    try {
      write.run();
    } finally {
      versions.merge(backupKey, 1, Integer::sum);
    }
  }

  /**
   * A complete file is owed to the primary. A file written again (the playlist, after every slice)
   * is owed once, at the place of its latest write: after the slices that version names.
   */
  synchronized void owe(BackupFile file) {
    owed.removeIf(o -> o.backupKey().equals(file.backupKey()));
    owed.addLast(file);
    backedUpAny = true;
  }

  synchronized BackupFile head() {
    return owed.peekFirst();
  }

  synchronized int version(String backupKey) {
    return versions.getOrDefault(backupKey, 0);
  }

  /** Removes a copy from the backup store; its failure is only logged (the primary has the file). */
  interface Cleanup {
    void run(BackupFile file);
  }

  /**
   * {@code file}, read at {@code version}, reached the primary. Unless the delivery wrote a newer
   * version meanwhile (then that one is owed and copied in turn), the backup copy is removed (under
   * this lock, so no newer version can be written in between) and the file is no longer owed.
   * Returns false when a newer version came.
   */
  synchronized boolean copied(BackupFile file, int version, Cleanup cleanup) {
    if (version(file.backupKey()) != version) {
      return false;
    }
    cleanup.run(file);
    owed.removeIf(o -> o.backupKey().equals(file.backupKey()));
    if (owed.isEmpty()) {
      failingSinceMs = 0; // the primary evidently works again
    }
    return true;
  }

  synchronized boolean nothingOwed() {
    return owed.isEmpty();
  }

  synchronized int owedCount() {
    return owed.size();
  }

  /**
   * The job's files are all in (primary or backup); the copier reports Uploaded once none is owed.
   * {@code files} null: not known (a restarted uploader), the copier lists the primary then.
   */
  synchronized void ended(JobSpec spec, List<FileEntry> files) {
    endedSpec = spec;
    endedFiles = files == null ? null : List.copyOf(files);
  }

  synchronized JobSpec endedSpec() {
    return endedSpec;
  }

  synchronized List<FileEntry> endedFiles() {
    return endedFiles;
  }
}
