package io.capstan.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the deployment costs with no recording: this process's CPU (every service and the broker)
 * over a quiet stretch, in cores, and the thread groups that spent it. Threads are read once at
 * each end rather than sampled, so the measurement adds nothing to what it measures.
 *
 * @param cores      CPU seconds per wall second
 * @param topThreads CPU seconds per thread group, largest first (JVM and native threads not included)
 */
public record IdleCpu(double cores, double wallSeconds, Map<String, Double> topThreads) {

  /** The target of issue 20: an idle server sleeps. */
  public static final double TARGET_CORES = 0.02;

  public static IdleCpu measure(Duration quiet) throws InterruptedException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    Map<Long, Long> before = cpuByThread(threads);
    long cpuBefore = ProcStatus.processCpuNanos();
    long wallBefore = System.nanoTime();
    Thread.sleep(quiet.toMillis()); // the measurement is of doing nothing for this long
    long cpu = ProcStatus.processCpuNanos() - cpuBefore;
    double wall = (System.nanoTime() - wallBefore) / 1e9;
    Map<String, Double> groups = new HashMap<>();
    cpuByThread(threads).forEach((id, nanos) -> {
      ThreadInfo info = threads.getThreadInfo(id);
      if (info != null) {
        groups.merge(ThreadCpu.group(info.getThreadName()), (nanos - before.getOrDefault(id, 0L)) / 1e9, Double::sum);
      }
    });
    Map<String, Double> top = new LinkedHashMap<>();
    groups.entrySet().stream().filter(e -> e.getValue() > 0.005)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    return new IdleCpu(cpu / 1e9 / wall, wall, top);
  }

  private static Map<Long, Long> cpuByThread(ThreadMXBean threads) {
    Map<Long, Long> cpu = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long nanos = threads.getThreadCpuTime(id);
      if (nanos >= 0) {
        cpu.put(id, nanos);
      }
    }
    return cpu;
  }
}
