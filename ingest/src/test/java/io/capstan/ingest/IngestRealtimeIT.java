package io.capstan.ingest;

import static io.capstan.ingest.TestSpecs.composite;
import static io.capstan.ingest.TestSpecs.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.ingest.timeline.JobTimeline;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecorderLeave;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.VideoFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A REALTIME job of a file: published as it plays, ended by Stop. */
@ExtendWith(KafkaBroker.class)
class IngestRealtimeIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void fileSourcePlaysAtTheWallClockUntilStop(@Bootstrap String bootstrap, @TempDir Path dir) throws Exception {
    Path file = TestMedia.mp4(dir, 10);
    String jobId = "realtime-" + UUID.randomUUID();
    try (IngestHarness ingest = new IngestHarness(bootstrap);
         TopicReader<JobSpec> jobs = ingest.reader(Topics.JOBS, jobId);
         TopicReader<MediaRecord> frames = ingest.reader(Topics.FRAMES, jobId);
         TopicReader<RecordingEvent> events = ingest.reader(Topics.EVENTS, jobId)) {
      ingest.start(composite(jobId, Pacing.REALTIME, source("cam", file.toString())).build());
      long started = jobs.until(s -> !s.isEmpty(), TIMEOUT).get(0).getStartedUtcMs();

      frames.until(r -> r.stream().anyMatch(x -> x.getBody() instanceof VideoFrame && x.getTimestampUs() >= 2_000_000),
          TIMEOUT);
      long elapsedAtStopMs = System.currentTimeMillis() - started;
      ingest.stop(jobId);
      List<MediaRecord> records = frames.until(r -> r.get(r.size() - 1).getBody() instanceof EndOfJob, TIMEOUT);

      // Never more than a tick ahead of the wall clock: each record was produced no earlier than the
      // tick at or before its place on the timeline.
      long tickMs = JobTimeline.REALTIME_TICK_US / 1000;
      for (ConsumerRecord<String, MediaRecord> record : frames.records()) {
        if (isMedia(record.value())) {
          assertThat(record.timestamp() - started)
              .isGreaterThanOrEqualTo(record.value().getTimestampUs() / 1000 - tickMs - 30);
        }
      }
      long lastMediaUs = records.stream().filter(IngestRealtimeIT::isMedia).mapToLong(MediaRecord::getTimestampUs)
          .max().orElseThrow();
      assertThat(lastMediaUs / 1000).isCloseTo(elapsedAtStopMs, within(500L));
      long endUs = records.get(records.size() - 1).getTimestampUs();
      assertThat(endUs).isGreaterThanOrEqualTo(lastMediaUs);
      assertThat(endUs / 1000).isCloseTo(elapsedAtStopMs, within(1000L));
      VideoFrame picture = (VideoFrame) records.stream().filter(r -> r.getBody() instanceof VideoFrame).findFirst()
          .orElseThrow().getBody();
      assertThat(picture.getWidth()).isEqualTo(320);
      assertThat(picture.getHeight()).isEqualTo(240);

      List<RecordingEvent> ev = events.until(e -> e.stream().anyMatch(x -> x.getDetails() instanceof RecorderLeave),
          TIMEOUT);
      assertThat(ev).anyMatch(e -> e.getDetails() instanceof RecorderLeave l && l.getLeaveCode() == 16);
      assertThat(jobs.until(s -> !s.get(s.size() - 1).getRunning(), TIMEOUT)).isNotEmpty();
    }
  }

  static boolean isMedia(MediaRecord record) {
    return record.getBody() instanceof VideoFrame || record.getBody() instanceof AudioFrame;
  }
}
