package io.capstan.ingest;

import static io.capstan.ingest.TestSpecs.composite;
import static io.capstan.ingest.TestSpecs.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.Discontinuity;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecorderLeave;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.SessionFailover;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.VideoFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ingest instances in one group; the owner of a running job goes away and the other resumes the
 * job from capstan.jobs. The gap on the job timeline between the last media the owner published and
 * the first the next owner publishes is what a recording loses; it is printed and bounded.
 */
@ExtendWith(KafkaBroker.class)
class IngestFailoverIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

  /** The owner shuts down (SIGTERM, a rolling update): it leaves the group and the job moves at once. */
  @Test
  void anOwnerThatShutsDownHandsItsJobOverWithinFiveSeconds(@Bootstrap String bootstrap, @TempDir Path dir)
      throws Exception {
    Path file = TestMedia.mp4(dir, 20);
    String jobId = "failover-" + UUID.randomUUID();
    try (IngestHarness first = new IngestHarness(bootstrap);
         IngestHarness second = new IngestHarness(bootstrap);
         TopicReader<MediaRecord> frames = first.reader(Topics.FRAMES, jobId);
         TopicReader<RecordingEvent> events = first.reader(Topics.EVENTS, jobId)) {
      // The group has settled: each instance owns some of the three partitions.
      await().atMost(TIMEOUT).until(() -> !first.service().partitions().isEmpty()
          && !second.service().partitions().isEmpty()
          && first.service().partitions().size() + second.service().partitions().size() == 3);
      first.start(composite(jobId, Pacing.REALTIME, source("cam", file.toString())).setRecorderUid("527841").build());
      frames.until(r -> r.stream().anyMatch(x -> x.getBody() instanceof VideoFrame && x.getTimestampUs() >= 2_000_000),
          TIMEOUT);
      IngestHarness owner = first.service().jobIds().contains(jobId) ? first : second;
      IngestHarness next = owner == first ? second : first;
      owner.close();

      frames.until(r -> afterHandover(r).stream().anyMatch(x -> x.getBody() instanceof VideoFrame), TIMEOUT);
      next.stop(jobId);
      List<MediaRecord> records = frames.until(r -> r.get(r.size() - 1).getBody() instanceof EndOfJob, TIMEOUT);

      long gap = gapUs(records);
      System.out.printf("failover gap after a clean shutdown: %d ms of the job timeline%n", gap / 1000);
      assertThat(gap).isBetween(0L, 5_000_000L);
      assertThat(afterHandover(records)).anyMatch(r -> r.getBody() instanceof StreamState);
      // session_failover (12) from the instance that took the recording over, with the recorder uid it keeps.
      List<SessionFailover> failovers = events.until(e -> e.stream().anyMatch(x -> x.getDetails() instanceof SessionExit
          || x.getDetails() instanceof RecorderLeave), TIMEOUT).stream().map(RecordingEvent::getDetails)
          .filter(SessionFailover.class::isInstance).map(SessionFailover.class::cast).toList();
      assertThat(failovers).extracting(SessionFailover::getNewUid).containsExactly("527841");
      assertThat(records.subList(0, records.size() - afterHandover(records).size()))
          .noneMatch(r -> r.getBody() instanceof EndOfJob);
    }
  }

  /**
   * The owner is killed (SIGKILL of its JVM): the group notices only when its session times out,
   * so the gap is about that timeout (ingest.group.session.timeout) plus reopening the source.
   */
  @Test
  void aKilledOwnersJobsAreResumedAfterTheSessionTimeout(@Bootstrap String bootstrap, @TempDir Path dir)
      throws Exception {
    Path file = TestMedia.mp4(dir, 20);
    Path log = dir.resolve("killed-instance.log");
    Process killed = startInstance(bootstrap, log);
    try {
      await().atMost(TIMEOUT).until(() -> Files.exists(log)
          && Files.readString(log, StandardCharsets.UTF_8).contains("owning command partitions"));
      try (IngestHarness survivor = new IngestHarness(bootstrap, Map.of("ingest.group.session.timeout",
          SESSION_TIMEOUT.toSeconds() + "s"))) {
        await().atMost(TIMEOUT).until(() -> survivor.service().partitions().size() == 1);
        // One job on each partition: the killed instance owns the two the survivor does not.
        List<String> jobIds = onePerPartition(3);
        List<TopicReader<MediaRecord>> readers = new ArrayList<>();
        for (String jobId : jobIds) {
          readers.add(survivor.reader(Topics.FRAMES, jobId));
          survivor.start(composite(jobId, Pacing.REALTIME, source("cam", file.toString())).build());
        }
        for (TopicReader<MediaRecord> reader : readers) {
          reader.until(r -> r.stream().anyMatch(x -> x.getBody() instanceof VideoFrame), TIMEOUT);
        }
        List<String> onKilled = jobIds.stream().filter(j -> !survivor.service().jobIds().contains(j)).toList();
        assertThat(onKilled).hasSize(2);

        long killedAt = System.nanoTime();
        killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        for (int i = 0; i < jobIds.size(); i++) {
          if (!onKilled.contains(jobIds.get(i))) {
            continue;
          }
          TopicReader<MediaRecord> frames = readers.get(i);
          frames.until(r -> afterHandover(r).stream().anyMatch(x -> x.getBody() instanceof VideoFrame), TIMEOUT);
          long gap = gapUs(frames.values());
          System.out.printf("failover gap after a kill (session timeout %s): %d ms of the job timeline, "
              + "resumed %d ms after the kill%n", SESSION_TIMEOUT, gap / 1000,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
          assertThat(gap).isBetween(0L, SESSION_TIMEOUT.toNanos() / 1000 + 5_000_000L);
        }
        for (String jobId : jobIds) {
          survivor.stop(jobId);
        }
        for (TopicReader<MediaRecord> reader : readers) {
          reader.until(r -> r.get(r.size() - 1).getBody() instanceof EndOfJob, TIMEOUT);
          reader.close();
        }
      }
    } finally {
      killed.destroyForcibly();
    }
  }

  /** Records after the (last) Discontinuity: what the next owner wrote. */
  private static List<MediaRecord> afterHandover(List<MediaRecord> records) {
    for (int i = records.size() - 1; i >= 0; i--) {
      if (records.get(i).getBody() instanceof Discontinuity) {
        return records.subList(i, records.size());
      }
    }
    return List.of();
  }

  /** First media of the next owner minus the last media of the previous one, on the job timeline. */
  private static long gapUs(List<MediaRecord> records) {
    List<MediaRecord> after = afterHandover(records);
    List<MediaRecord> before = records.subList(0, records.size() - after.size());
    long lastBefore = before.stream().filter(IngestRealtimeIT::isMedia).mapToLong(MediaRecord::getTimestampUs).max()
        .orElseThrow();
    long firstAfter = after.stream().filter(IngestRealtimeIT::isMedia).mapToLong(MediaRecord::getTimestampUs).min()
        .orElseThrow();
    return firstAfter - lastBefore;
  }

  /** Job ids on distinct partitions of capstan.commands (Kafka's default partitioner). */
  private static List<String> onePerPartition(int partitions) {
    String[] ids = new String[partitions];
    int found = 0;
    while (found < partitions) {
      String id = "killed-" + UUID.randomUUID();
      int p = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
      if (ids[p] == null) {
        ids[p] = id;
        found++;
      }
    }
    return List.of(ids);
  }

  /** An ingest instance in its own JVM (IngestMain), so that it can really be killed. */
  private static Process startInstance(String bootstrap, Path log) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, IngestMain.class.getName(),
        "--set", "kafka.bootstrap.servers=" + bootstrap,
        "--set", "ingest.http.port=" + LiveServer.freeTcpPort(),
        "--set", "ingest.group.session.timeout=" + SESSION_TIMEOUT.toSeconds() + "s",
        "--set", "topics.create=false",
        // The test's own media file, as an operator would allow it.
        "--set", "gateway.sources.files=true")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
