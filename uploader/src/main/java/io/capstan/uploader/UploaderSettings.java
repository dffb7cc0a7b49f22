package io.capstan.uploader;

import io.capstan.runtime.kafka.GroupMembership;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.config.Setting;
import io.capstan.schemas.StorageConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The uploader's settings (environment variables CAPSTAN_UPLOADER_...). */
public final class UploaderSettings {

  public static final Setting<Integer> HTTP_PORT = Setting.integer("uploader.http.port", 8084,
      "port of the uploader's /health, /ready and /metrics");
  /** Shared with ingest, which reads recordings back from it (post-processing). */
  public static final Setting<String> LOCAL_ROOT = io.capstan.storage.LocalRoot.SETTING;
  public static final Setting<Duration> RETRY_INITIAL = Setting.duration("uploader.retry.initial",
      Duration.ofMillis(500), "first wait before a failed storage write is tried again (doubles up to the max)");
  public static final Setting<Duration> RETRY_MAX = Setting.duration("uploader.retry.max", Duration.ofMinutes(1),
      "longest wait between tries of a failed storage write");
  public static final Setting<Integer> WRITERS = Setting.integer("uploader.writers", 8,
      "how many jobs' files are written to storage at once (each job's in order; memory: up to"
      + " threshold + part size each)");
  public static final Setting<Duration> PROGRESS_INTERVAL = Setting.duration("uploader.progress.interval",
      Duration.ofMinutes(1), "how often a live recording's uploading_progress event (33) is sent");
  public static final Setting<Duration> GROUP_SESSION_TIMEOUT = GroupMembership.sessionTimeout("uploader",
      Duration.ofSeconds(10), "files");
  public static final Setting<String> GROUP_INSTANCE_ID = GroupMembership.instanceId("uploader");
  public static final Setting<Duration> JOB_WAIT = Setting.duration("uploader.job.wait", Duration.ofSeconds(30),
      "how long a file waits for its job's spec while capstan.jobs cannot be read up to its end before it is"
          + " reported and skipped (a spec already written is always found)");
  public static final Setting<Long> MULTIPART_THRESHOLD = Setting.longValue("uploader.multipart.threshold",
      16L << 20, "files of at least this many bytes go to S3 and Azure as multipart (block) uploads");
  public static final Setting<Integer> PART_SIZE = Setting.integer("uploader.multipart.part.size", 8 << 20,
      "bytes per part of a multipart upload (at least 5 MiB; the uploader holds up to threshold + part in memory)");

  public static final Setting<Integer> BACKUP_VENDOR = Setting.integer("uploader.backup.vendor", -1,
      "vendor of the backup store (as storageConfig.vendor; 99 = a local folder); -1: no backup store");
  public static final Setting<String> BACKUP_REGION = Setting.string("uploader.backup.region", "0",
      "region of the backup store (code or name, as storageConfig.region)");
  public static final Setting<String> BACKUP_BUCKET = Setting.string("uploader.backup.bucket", "",
      "bucket (container, or folder under uploader.backup.local.root) of the backup store");
  public static final Setting<String> BACKUP_ACCESS_KEY = Setting.secret("uploader.backup.access.key",
      "access key (Azure: account) of the backup store; none: the environment's credentials");
  public static final Setting<String> BACKUP_SECRET_KEY = Setting.secret("uploader.backup.secret.key",
      "secret key of the backup store");
  public static final Setting<String> BACKUP_ENDPOINT = Setting.string("uploader.backup.endpoint", "",
      "endpoint of an S3-compatible (or Azurite, GCS stand-in) backup store, addressed path-style");
  public static final Setting<String> BACKUP_LOCAL_ROOT = Setting.string("uploader.backup.local.root",
      "./recordings-backup", "folder of a vendor 99 backup store");
  public static final Setting<Duration> BACKUP_AFTER = Setting.duration("uploader.backup.after",
      Duration.ofSeconds(60), "how long a job's primary store must have failed before its files go to the backup");

  public static final Setting<Duration> POST_TIMEOUT = Setting.duration("uploader.post.timeout", Duration.ofMinutes(30),
      "how long a recording's postponed transcoding or audio mix may take before its unfinished jobs count as failed");

  private UploaderSettings() {
  }

  public static List<Setting<?>> settings() {
    return List.of(LOCAL_ROOT, RETRY_INITIAL, RETRY_MAX, WRITERS, PROGRESS_INTERVAL, GROUP_SESSION_TIMEOUT, GROUP_INSTANCE_ID,
        JOB_WAIT, MULTIPART_THRESHOLD, PART_SIZE, BACKUP_VENDOR,
        BACKUP_REGION, BACKUP_BUCKET, BACKUP_ACCESS_KEY, BACKUP_SECRET_KEY, BACKUP_ENDPOINT, BACKUP_LOCAL_ROOT,
        BACKUP_AFTER, POST_TIMEOUT, io.capstan.runtime.net.AddressPolicy.ALLOW_PRIVATE);
  }

  /** The backup store as a storageConfig, when one is configured. */
  public static Optional<StorageConfig> backupStorage(Config config) {
    int vendor = config.get(BACKUP_VENDOR);
    if (vendor < 0) {
      return Optional.empty();
    }
    String endpoint = config.get(BACKUP_ENDPOINT);
    return Optional.of(StorageConfig.newBuilder()
        .setVendor(vendor)
        .setRegion(config.get(BACKUP_REGION))
        .setBucket(config.get(BACKUP_BUCKET))
        .setAccessKey(config.get(BACKUP_ACCESS_KEY))
        .setSecretKey(config.get(BACKUP_SECRET_KEY))
        .setEndpoint(endpoint == null || endpoint.isBlank() ? null : endpoint)
        .build());
  }
}
