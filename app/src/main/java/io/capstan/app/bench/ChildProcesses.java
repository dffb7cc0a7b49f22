package io.capstan.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands (the ffmpeg baselines) concurrently and measures them the way the kernel accounts
 * them. CPU: each command runs under {@code bash -c '"$@"; read /proc/$$/stat'}; once bash has
 * waited for its child, the child's whole user + system time (all its threads, exactly, in clock
 * ticks) is in bash's cutime + cstime, which bash prints before it exits. Polling a running
 * process's own /proc/PID/stat would miss its last moments. Peak memory: the children's VmHWM
 * (a high-water mark, so a poll every 100 ms loses nothing but the last 100 ms), summed over the
 * commands that ran at once; unknown (-1) when a command ended before a poll saw it.
 */
public final class ChildProcesses {

  /** Fields 16 and 17 of /proc/PID/stat, counted from 1, are cutime and cstime. */
  private static final String SCRIPT = "\"$@\" >/dev/null; rc=$?; read -r stat </proc/$$/stat; echo \"$stat\"; exit $rc";

  private ChildProcesses() {
  }

  /** Runs every command at once and waits for all; throws when one fails, with the tail of its log. */
  public static Usage runAll(List<List<String>> commands, Path logDir, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(logDir);
    long ticksPerSecond = ticksPerSecond();
    List<Process> processes = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    Map<Long, Long> peaks = new HashMap<>();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < commands.size(); i++) {
        List<String> argv = new ArrayList<>(List.of("bash", "-c", SCRIPT, "bench-child"));
        argv.addAll(commands.get(i));
        Path log = logDir.resolve("child-" + i + ".log");
        logs.add(log);
        processes.add(new ProcessBuilder(argv).redirectError(log.toFile()).start());
      }
      long deadline = start + timeout.toNanos();
      while (processes.stream().anyMatch(Process::isAlive)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("a baseline did not finish within " + timeout.toSeconds() + " s: "
              + String.join(" ", commands.get(0)));
        }
        for (int i = 0; i < processes.size(); i++) {
          String program = Path.of(commands.get(i).get(0)).getFileName().toString();
          // Only the program itself: right after bash forks, the child is still a copy of bash.
          processes.get(i).descendants().filter(d -> d.info().command().map(c -> c.endsWith(program)).orElse(false))
              .forEach(d -> peaks.merge(d.pid(), ProcStatus.peakRssBytes(d.pid()), Math::max));
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
      double wall = (System.nanoTime() - start) / 1e9;
      long ticks = 0;
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        String stat = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (p.exitValue() != 0) {
          throw new IllegalStateException("baseline exited with " + p.exitValue() + ": " + tail(logs.get(i))
              + "\n  command: " + String.join(" ", commands.get(i)));
        }
        ticks += childTicks(stat);
      }
      // A program that ended before the first poll saw it has no known peak (reported as unknown, not 0).
      long peak = peaks.size() < processes.size() ? -1 : peaks.values().stream().mapToLong(Long::longValue).sum();
      return new Usage((double) ticks / ticksPerSecond, wall, peak);
    } finally {
      processes.forEach(p -> {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      });
    }
  }

  /** cutime + cstime of a /proc/PID/stat line. */
  static long childTicks(String statLine) {
    int close = statLine.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalStateException("not a /proc/PID/stat line: '" + statLine + "'");
    }
    // After "pid (comm)" the fields start at number 3 (state): field n is at index n - 3.
    String[] fields = statLine.substring(close + 2).split(" ");
    return Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3]);
  }

  private static long ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      return p.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return 100; // USER_HZ is 100 on every Linux architecture Capstan runs on
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
