package io.capstan.uploader;

import io.capstan.runtime.config.Setting;
import java.time.Duration;
import java.util.List;

/** The uploader's settings (environment variables CAPSTAN_UPLOADER_...). */
public final class UploaderSettings {

  public static final Setting<Integer> HTTP_PORT = Setting.integer("uploader.http.port", 8084,
      "port of the uploader's /health, /ready and /metrics");
  public static final Setting<String> LOCAL_ROOT = Setting.string("uploader.local.root", "./recordings",
      "folder of storage vendor 99 (and of jobs without storage): files go to <root>/<bucket>/<prefix>/<name>");
  public static final Setting<Duration> RETRY_INITIAL = Setting.duration("uploader.retry.initial",
      Duration.ofMillis(500), "first wait before a failed storage write is tried again (doubles up to the max)");
  public static final Setting<Duration> RETRY_MAX = Setting.duration("uploader.retry.max", Duration.ofMinutes(1),
      "longest wait between tries of a failed storage write");
  public static final Setting<Duration> JOB_WAIT = Setting.duration("uploader.job.wait", Duration.ofSeconds(30),
      "how long a file waits for its job's spec on capstan.jobs before it is reported and skipped");

  private UploaderSettings() {
  }

  public static List<Setting<?>> settings() {
    return List.of(LOCAL_ROOT, RETRY_INITIAL, RETRY_MAX, JOB_WAIT);
  }
}
