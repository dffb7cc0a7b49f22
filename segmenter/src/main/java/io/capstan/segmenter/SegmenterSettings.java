package io.capstan.segmenter;

import io.capstan.runtime.config.Setting;
import io.capstan.runtime.kafka.stage.StageSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The segmenter's settings (environment variables CAPSTAN_SEGMENTER_...). */
public final class SegmenterSettings {

  public static final Setting<Integer> HTTP_PORT = Setting.integer("segmenter.http.port", 8083,
      "port of the segmenter's /health, /ready and /metrics");
  public static final Setting<Duration> JOB_WAIT = Setting.duration("segmenter.job.wait", Duration.ofSeconds(30),
      "how long a packet waits for its job's spec while capstan.jobs cannot be read up to its end before it is"
          + " reported and skipped (a spec already written is always found)");
  public static final Setting<Integer> NOTE_MAX_CHARS = Setting.integer("segmenter.resume.note.max.chars", 4000,
      "largest resume note committed with an offset (keep below the broker's offset.metadata.max.bytes)");

  public static final Setting<Integer> MP4_MAX_SECONDS = Setting.integer("segmenter.mp4.max.seconds", 0,
      "for tests and operations: MP4 file length in seconds instead of the job's maxFileDurationMinutes (0: the job's)");

  public static final Setting<String> HLS_SEGMENT_TYPE = Setting.string("segmenter.hls.segment.type", "mpegts",
      "HLS slice container: mpegts (.ts, the reference's) or fmp4 (.m4s media segments after an #EXT-X-MAP init segment)");

  public static final Setting<Duration> RTMP_MAX_BACKOFF = Setting.duration("segmenter.rtmp.max.backoff",
      Duration.ofSeconds(30), "longest wait between attempts to (re)connect a web recording's live RTMP push");
  public static final Setting<Duration> RTMP_IO_TIMEOUT = Setting.duration("segmenter.rtmp.io.timeout",
      Duration.ofSeconds(5), "an RTMP server that does not answer a read or write for this long counts as disconnected");

  /** segmenter.group.session.timeout, segmenter.transaction.timeout, segmenter.group.instance.id. */
  /**
   * The segmenter's output is a slice every few seconds, and a transaction that ends no slice moves
   * no offset, so it never reaches the broker: gathering longer would make slices later and save
   * the broker nothing.
   */
  public static final Duration GATHER = Duration.ofMillis(50);
  public static final StageSettings STAGE = StageSettings.of("segmenter", GATHER);

  private SegmenterSettings() {
  }

  public static List<Setting<?>> settings() {
    List<Setting<?>> all = new ArrayList<>(List.of(JOB_WAIT, NOTE_MAX_CHARS, MP4_MAX_SECONDS, HLS_SEGMENT_TYPE,
        RTMP_MAX_BACKOFF, RTMP_IO_TIMEOUT));
    all.addAll(STAGE.list());
    return List.copyOf(all);
  }
}
