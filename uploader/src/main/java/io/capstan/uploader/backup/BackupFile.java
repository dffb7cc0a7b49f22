package io.capstan.uploader.backup;

import io.capstan.schemas.StorageConfig;

/** A complete file held by the backup store for a job's primary store: where it is and where it goes. */
public record BackupFile(String jobId, String backupKey, StorageConfig primary, String primaryKey) {

  /** The backup key of a job's file: {@code <jobId>/<primary key>}, so jobs and their buckets never collide. */
  public static String backupKey(String jobId, String primaryKey) {
    return jobId + "/" + primaryKey;
  }
}
