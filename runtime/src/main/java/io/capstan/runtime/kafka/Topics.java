package io.capstan.runtime.kafka;

import io.capstan.schemas.DeadLetter;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.FileChunk;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Notice;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.StreamAnnouncement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The one place that declares Capstan's topics (ARCHITECTURE.md, "Data flow"). Every topic is
 * keyed by jobId, except the channel directory ({@code channel/uid}). Services create what is
 * missing at start-up with {@link TopicAdmin}.
 */
public final class Topics {

  /** Raw frames: up to 8 MiB each (a 1080p I420 frame is ~3 MB); producers and consumers allow 16 MiB. */
  public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;
  public static final int DEFAULT_PARTITIONS = 6;

  public static final TopicSpec<RecordingCommand> COMMANDS = new TopicSpec<>("capstan.commands", DEFAULT_PARTITIONS,
      delete(Duration.ofDays(7)), RecordingCommand.class);
  public static final TopicSpec<StreamAnnouncement> CHANNELS = new TopicSpec<>("capstan.channels", DEFAULT_PARTITIONS,
      compact(), StreamAnnouncement.class);
  public static final TopicSpec<JobSpec> JOBS = new TopicSpec<>("capstan.jobs", DEFAULT_PARTITIONS,
      compact(), JobSpec.class);
  public static final TopicSpec<MediaRecord> FRAMES = new TopicSpec<>("capstan.frames", DEFAULT_PARTITIONS,
      Map.of("cleanup.policy", "delete",
          "retention.ms", String.valueOf(Duration.ofMinutes(10).toMillis()),
          // Raw video is ~5 MB/s per 360p uid: bound the disk, not only the time.
          "retention.bytes", String.valueOf(4L * 1024 * 1024 * 1024),
          "segment.bytes", String.valueOf(256 * 1024 * 1024),
          "max.message.bytes", String.valueOf(MAX_RECORD_BYTES)),
      MediaRecord.class);
  public static final TopicSpec<EncodedPacket> PACKETS = new TopicSpec<>("capstan.packets", DEFAULT_PARTITIONS,
      withMaxBytes(delete(Duration.ofHours(24))), EncodedPacket.class);
  public static final TopicSpec<FileChunk> FILES = new TopicSpec<>("capstan.files", DEFAULT_PARTITIONS,
      withMaxBytes(delete(Duration.ofHours(48))), FileChunk.class);
  public static final TopicSpec<RecordingEvent> EVENTS = new TopicSpec<>("capstan.events", DEFAULT_PARTITIONS,
      delete(Duration.ofDays(7)), RecordingEvent.class);
  public static final TopicSpec<Notice> NOTICES = new TopicSpec<>("capstan.notices", DEFAULT_PARTITIONS,
      delete(Duration.ofDays(7)), Notice.class);
  public static final TopicSpec<DeadLetter> DEAD_LETTERS = new TopicSpec<>("capstan.notices.dlq", DEFAULT_PARTITIONS,
      delete(Duration.ofDays(30)), DeadLetter.class);
  public static final TopicSpec<JobStatus> STATUS = new TopicSpec<>("capstan.status", DEFAULT_PARTITIONS,
      compact(), JobStatus.class);

  public static final List<TopicSpec<?>> ALL = List.of(COMMANDS, CHANNELS, JOBS, FRAMES, PACKETS, FILES, EVENTS,
      NOTICES, DEAD_LETTERS, STATUS);

  private Topics() {
  }

  private static Map<String, String> delete(Duration retention) {
    return Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(retention.toMillis()));
  }

  private static Map<String, String> compact() {
    return Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000");
  }

  private static Map<String, String> withMaxBytes(Map<String, String> configs) {
    java.util.HashMap<String, String> all = new java.util.HashMap<>(configs);
    all.put("max.message.bytes", String.valueOf(MAX_RECORD_BYTES));
    return all;
  }
}
