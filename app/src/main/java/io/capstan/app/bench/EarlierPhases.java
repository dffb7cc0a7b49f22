package io.capstan.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

/**
 * Lets the broker drop what earlier phases wrote, so that a later phase does not pay for it. A
 * phase's raw frames sit in the page cache until retention deletes them (10 minutes for
 * {@code capstan.frames}, never within a run for the round trip's topic): a run's warm-ups leave
 * gigabytes, and a later phase's writes then take fresh pages instead of reusing freed ones.
 * On this VM a fresh page cache page costs about ten times a reused one (writing 1.2 GB: 0.32 s
 * of system CPU into freed pages, 3.8–4.0 s once 2.4 GB more were cached); a server past its
 * topics' retention recycles its pages, as the phase then does.
 */
final class EarlierPhases {

  private static final long TIMEOUT_S = 30;

  private EarlierPhases() {
  }

  /** Deletes {@code topic} and its log, as a bench-only topic whose phase is over. */
  static void deleteTopic(Admin admin, String topic) throws Exception {
    admin.deleteTopics(List.of(topic)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  /** Moves every partition's start of {@code topic} to its end: the broker deletes the segments behind it. */
  static void dropRecords(Admin admin, String topic) throws Exception {
    List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
        .get(TIMEOUT_S, TimeUnit.SECONDS).get(topic).partitions().stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    Map<TopicPartition, OffsetSpec> latest = partitions.stream()
        .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
    Map<TopicPartition, RecordsToDelete> before = admin.listOffsets(latest).all().get(TIMEOUT_S, TimeUnit.SECONDS)
        .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
            e -> RecordsToDelete.beforeOffset(e.getValue().offset())));
    admin.deleteRecords(before).all().get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  /**
   * Waits until the broker whose log directory is {@code logDir} has deleted the segments behind
   * {@code topic}'s start: its retention task renames them ({@code .deleted}) within
   * {@code log.retention.check.interval.ms} and removes them {@code log.segment.delete.delay.ms}
   * later, a minute each by default. Each partition then keeps only its active segment.
   *
   * @return false when {@code most} passed first
   */
  static boolean awaitDeleted(Path logDir, String topic, Duration most) throws InterruptedException {
    long deadline = System.nanoTime() + most.toNanos();
    while (!onlyActiveSegments(logDir, topic)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(1000);
    }
    return true;
  }

  /** Bytes of {@code topic}'s segment files in {@code logDir}, active ones included. */
  static long segmentBytes(Path logDir, String topic) throws IOException {
    try (Stream<Path> files = Files.find(logDir, 2, (f, a) -> a.isRegularFile()
        && f.getParent().getFileName().toString().startsWith(topic + "-") && f.toString().endsWith(".log"))) {
      return files.mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static boolean onlyActiveSegments(Path logDir, String topic) {
    try (Stream<Path> partitions = Files.list(logDir)) {
      return partitions.filter(d -> d.getFileName().toString().startsWith(topic + "-"))
          .allMatch(EarlierPhases::onlyActiveSegment);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean onlyActiveSegment(Path partition) {
    try (Stream<Path> files = Files.list(partition)) {
      List<String> names = files.map(f -> f.getFileName().toString()).toList();
      return names.stream().noneMatch(n -> n.endsWith(".deleted"))
          && names.stream().filter(n -> n.endsWith(".log")).count() <= 1;
    } catch (IOException e) {
      return false; // listed while the broker renamed it
    }
  }
}
