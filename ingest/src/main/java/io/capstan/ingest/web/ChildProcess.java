package io.capstan.ingest.web;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An external program of a page session, with its whole process tree. Chromium forks zygotes,
 * renderers and a GPU process; killing only the parent would leave them running, so
 * {@link #close()} snapshots the descendants first, asks them all to stop (SIGTERM), and kills
 * (SIGKILL) whatever is still alive after a grace period.
 */
final class ChildProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
  private static final Duration GRACE = Duration.ofSeconds(2);

  private final String name;
  private final Process process;

  private ChildProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /**
   * Starts {@code command} with {@code env} added to this JVM's environment, stdout and stderr
   * appended to {@code log} (or stdout kept as a pipe when {@code pipeStdout}).
   */
  static ChildProcess start(String name, List<String> command, Map<String, String> env, Path log,
      boolean pipeStdout) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (!pipeStdout) {
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }
    Process process = builder.start();
    LOG.debug("started {} (pid {})", name, process.pid());
    return new ChildProcess(name, process);
  }

  String name() {
    return name;
  }

  Process process() {
    return process;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** This process and its living descendants (for CPU accounting). */
  List<ProcessHandle> tree() {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(process.toHandle());
    process.descendants().forEach(all::add);
    return all;
  }

  @Override
  public void close() {
    List<ProcessHandle> all = tree();
    // Only the root is asked to stop: Chromium's browser process then shuts its renderers and
    // zygotes down itself (they ignore SIGTERM), Xvfb and PulseAudio exit cleanly.
    process.destroy();
    awaitExit(all, GRACE);
    List<ProcessHandle> left = new ArrayList<>(all);
    process.descendants().forEach(left::add); // anything forked since the snapshot
    left.removeIf(handle -> !handle.isAlive());
    if (!left.isEmpty()) {
      LOG.info("{}: {} process(es) still alive {} s after SIGTERM; killing them", name, left.size(), GRACE.toSeconds());
      left.forEach(ProcessHandle::destroyForcibly);
      awaitExit(left, GRACE);
      left.stream().filter(ProcessHandle::isAlive)
          .forEach(handle -> LOG.error("{} process {} survived SIGKILL", name, handle.pid()));
    }
  }

  private static void awaitExit(List<ProcessHandle> handles, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle handle : handles) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        return; // timed out: the caller kills what is left
      }
    }
  }
}
