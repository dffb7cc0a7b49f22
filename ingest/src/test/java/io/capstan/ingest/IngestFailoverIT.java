package io.capstan.ingest;

import static io.capstan.ingest.TestSpecs.composite;
import static io.capstan.ingest.TestSpecs.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.Discontinuity;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.VideoFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** An instance goes away: the next owner of the partition resumes its job from capstan.jobs. */
@ExtendWith(KafkaBroker.class)
class IngestFailoverIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void theNextOwnerResumesARunningJob(@Bootstrap String bootstrap, @TempDir Path dir) throws Exception {
    Path file = TestMedia.mp4(dir, 20);
    String jobId = "failover-" + UUID.randomUUID();
    try (IngestHarness first = new IngestHarness(bootstrap);
         TopicReader<MediaRecord> frames = first.reader(Topics.FRAMES, jobId)) {
      first.start(composite(jobId, Pacing.REALTIME, source("cam", file.toString())).build());
      frames.until(r -> r.stream().anyMatch(x -> x.getBody() instanceof VideoFrame && x.getTimestampUs() >= 1_000_000),
          TIMEOUT);
      first.close();
      // Everything the first instance wrote is in the topic once it has closed (its producer flushed).
      int handedOver = frames.drain(TIMEOUT).size();

      try (IngestHarness second = new IngestHarness(bootstrap)) {
        frames.until(r -> r.stream().skip(handedOver).anyMatch(x -> x.getBody() instanceof VideoFrame), TIMEOUT);
        second.stop(jobId);
        List<MediaRecord> records = frames.until(r -> r.get(r.size() - 1).getBody() instanceof EndOfJob, TIMEOUT);

        List<MediaRecord> before = records.subList(0, handedOver);
        List<MediaRecord> after = records.subList(handedOver, records.size());
        assertThat(before).noneMatch(r -> r.getBody() instanceof EndOfJob);
        assertThat(after.get(0).getBody()).isInstanceOf(Discontinuity.class);
        long lastBefore = before.stream().filter(IngestRealtimeIT::isMedia).mapToLong(MediaRecord::getTimestampUs)
            .max().orElseThrow();
        long firstAfter = after.stream().filter(IngestRealtimeIT::isMedia).mapToLong(MediaRecord::getTimestampUs)
            .min().orElseThrow();
        assertThat(firstAfter).isGreaterThan(lastBefore);
        assertThat(after).anyMatch(r -> r.getBody() instanceof StreamState);
      }
    }
  }
}
