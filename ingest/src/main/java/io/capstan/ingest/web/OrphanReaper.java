package io.capstan.ingest.web;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after a JVM that died without closing its page sessions (kill -9, OOM killer): the
 * shutdown hook never ran, so Chromium, Xvfb and PulseAudio would run forever. Each session
 * directory holds an {@code owner} file naming the JVM and the processes it started, each with
 * its start time (so a recycled pid is never killed); a session whose JVM is gone is killed and
 * its directory deleted.
 */
final class OrphanReaper {

  static final String PREFIX = "capstan-web-";
  static final String OWNER_FILE = "owner";
  private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);

  private OrphanReaper() {
  }

  /** Records {@code processes} (and this JVM) as the owner file of {@code dir}. */
  static void record(Path dir, List<ProcessHandle> processes) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(line(ProcessHandle.current()));
    processes.forEach(p -> lines.add(line(p)));
    Path temp = dir.resolve(OWNER_FILE + ".tmp");
    Files.write(temp, lines);
    Files.move(temp, dir.resolve(OWNER_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Kills the processes of every orphaned session under {@code root}; returns how many sessions. */
  static int reap(Path root) {
    int reaped = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, PREFIX + "*")) {
      for (Path dir : dirs) {
        Path owner = dir.resolve(OWNER_FILE);
        if (!Files.isRegularFile(owner)) {
          continue; // starting (or not ours): never touched
        }
        List<String> lines = Files.readAllLines(owner);
        if (lines.isEmpty() || living(lines.get(0)).isPresent()) {
          continue;
        }
        for (String line : lines.subList(1, lines.size())) {
          living(line).ifPresent(process -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
          });
        }
        delete(dir);
        reaped++;
        LOG.warn("killed the processes of page session {}, left by a JVM that died", dir.getFileName());
      }
    } catch (IOException e) {
      LOG.warn("cannot look for orphaned page sessions in {}: {}", root, e.getMessage());
    }
    return reaped;
  }

  private static String line(ProcessHandle process) {
    return process.pid() + " " + process.info().startInstant().map(Instant::toString).orElse("-");
  }

  /** The process a line names, when it still runs and started when the line says. */
  private static Optional<ProcessHandle> living(String line) {
    String[] parts = line.trim().split(" ");
    if (parts.length < 2 || !parts[0].matches("\\d+")) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(parts[0]))
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().startInstant().map(Instant::toString).orElse("-").equals(parts[1]));
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", dir, e.getMessage());
    }
  }
}
