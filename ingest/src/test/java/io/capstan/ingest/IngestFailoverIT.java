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

  /**
   * The owner shuts down (SIGTERM, a rolling update): it leaves the group, records on up to the
   * point it names in its last commit, and the other instance writes the job from exactly there.
   */
  @Test
  void anOwnerThatShutsDownHandsItsJobOverWithoutAHoleOrAnOverlap(@Bootstrap String bootstrap, @TempDir Path dir)
      throws Exception {
    Path file = TestMedia.mp4(dir, 30);
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
      long closedAtUs = lastMediaUs(frames.values());

      frames.until(r -> lastMediaUs(r) >= closedAtUs + 5_000_000, TIMEOUT);
      next.stop(jobId);
      List<MediaRecord> records = frames.until(r -> r.get(r.size() - 1).getBody() instanceof EndOfJob, TIMEOUT);

      MediaContinuity media = MediaContinuity.of(records, "cam");
      System.out.printf("hand-over on a clean shutdown: %s%n", media);
      media.assertSeamless();
      assertThat(records).as("a hand-over with nothing lost says nothing was").noneMatch(r -> r.getBody()
          instanceof Discontinuity);
      // session_failover (12) from the instance that took the recording over, with the recorder uid it keeps.
      List<SessionFailover> failovers = events.until(e -> e.stream().anyMatch(x -> x.getDetails() instanceof SessionExit
          || x.getDetails() instanceof RecorderLeave), TIMEOUT).stream().map(RecordingEvent::getDetails)
          .filter(SessionFailover.class::isInstance).map(SessionFailover.class::cast).toList();
      assertThat(failovers).extracting(SessionFailover::getNewUid).containsExactly("527841");
      assertThat(records.subList(0, records.size() - 1)).noneMatch(r -> r.getBody() instanceof EndOfJob);
    }
  }

  /**
   * A second instance joins (a scale-out, a replacement): the partitions that move to it take their
   * running jobs along without a hole or an overlap in their media.
   */
  @Test
  void anInstanceThatJoinsTakesRunningJobsOverWithoutAHoleOrAnOverlap(@Bootstrap String bootstrap, @TempDir Path dir)
      throws Exception {
    Path file = TestMedia.mp4(dir, 30);
    try (IngestHarness first = new IngestHarness(bootstrap)) {
      await().atMost(TIMEOUT).until(() -> first.service().partitions().size() == 3);
      List<String> jobIds = onePerPartition(3);
      List<TopicReader<MediaRecord>> readers = startLive(first, jobIds, file);
      for (TopicReader<MediaRecord> reader : readers) {
        reader.until(r -> lastMediaUs(r) >= 2_000_000, TIMEOUT);
      }
      try (IngestHarness second = new IngestHarness(bootstrap)) {
        await().atMost(TIMEOUT).until(() -> !second.service().jobIds().isEmpty()
            && first.service().partitions().size() + second.service().partitions().size() == 3);
        List<String> moved = second.service().jobIds();
        long joinedAtUs = readers.stream().mapToLong(r -> lastMediaUs(r.values())).max().orElseThrow();
        for (TopicReader<MediaRecord> reader : readers) {
          reader.until(r -> lastMediaUs(r) >= joinedAtUs + 6_000_000, TIMEOUT);
        }
        for (String jobId : jobIds) {
          second.stop(jobId);
        }
        for (int i = 0; i < jobIds.size(); i++) {
          List<MediaRecord> records = readers.get(i).until(r -> r.get(r.size() - 1).getBody() instanceof EndOfJob,
              TIMEOUT);
          MediaContinuity media = MediaContinuity.of(records, "cam");
          boolean wasMoved = moved.contains(jobIds.get(i));
          System.out.printf("%s, %s: %s%n", jobIds.get(i), wasMoved ? "moved to the joining instance" : "stayed",
              media);
          media.assertSeamless();
          assertThat(records).noneMatch(r -> r.getBody() instanceof Discontinuity);
        }
        readers.forEach(TopicReader::close);
      }
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
        List<TopicReader<MediaRecord>> readers = startLive(survivor, jobIds, file);
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

  /** Starts a live composite of {@code file} per job id; @return a reader of each one's frames, in that order. */
  private static List<TopicReader<MediaRecord>> startLive(IngestHarness ingest, List<String> jobIds, Path file)
      throws Exception {
    List<TopicReader<MediaRecord>> readers = new ArrayList<>();
    for (String jobId : jobIds) {
      readers.add(ingest.reader(Topics.FRAMES, jobId));
      ingest.start(composite(jobId, Pacing.REALTIME, source("cam", file.toString())).build());
    }
    return readers;
  }

  private static long lastMediaUs(List<MediaRecord> records) {
    return records.stream().filter(IngestRealtimeIT::isMedia).mapToLong(MediaRecord::getTimestampUs).max()
        .orElse(-1);
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
