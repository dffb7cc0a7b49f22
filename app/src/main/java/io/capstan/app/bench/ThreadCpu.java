package io.capstan.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Where a phase's CPU went, by Java thread (ThreadMXBean), grouped by name with ids and numbers
 * blanked. Threads come and go (ingest's readers end with their job), so every live thread is
 * sampled every second and a gone thread keeps its last sample: it loses at most its last second.
 * (Every 200 ms, one thread read by one, the sampler was itself 2 % of a core, billed to Capstan.)
 * What the process used beyond all Java threads is FFmpeg's native threads (libx264's own
 * pthreads) and the JVM's (GC, JIT compiler).
 */
public final class ThreadCpu implements AutoCloseable {

  /** Numbers and hex ids (instance ids, uuids): the parts that differ between threads of one kind. */
  private static final Pattern ID = Pattern.compile("\\b[0-9a-f]*[0-9][0-9a-f]*\\b|\\d+");

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> first = new HashMap<>();
  private final Map<Long, Long> last = new HashMap<>();
  private final Map<Long, String> names = new HashMap<>();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-thread-cpu");
    t.setDaemon(true);
    return t;
  });

  public ThreadCpu() {
    enableCpuTime(threads);
    sample(true);
    sampler.scheduleAtFixedRate(() -> sample(false), 1, 1, TimeUnit.SECONDS);
  }

  private synchronized void sample(boolean baseline) {
    long[] ids = threads.getAllThreadIds();
    long[] cpus = cpuTimes(threads, ids);
    for (int i = 0; i < ids.length; i++) {
      long id = ids[i];
      long cpu = cpus[i];
      if (cpu < 0) {
        continue;
      }
      if (!names.containsKey(id)) {
        ThreadInfo info = threads.getThreadInfo(id);
        if (info == null) {
          continue;
        }
        names.put(id, group(info.getThreadName()));
        // A thread born during the phase spent all its CPU in it.
        first.put(id, baseline ? cpu : 0L);
      }
      last.put(id, cpu);
    }
  }

  static void enableCpuTime(ThreadMXBean threads) {
    if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
  }

  /** Every thread's CPU in nanoseconds (-1: gone), in one call where HotSpot offers it. */
  static long[] cpuTimes(ThreadMXBean threads, long[] ids) {
    if (threads instanceof com.sun.management.ThreadMXBean bulk) {
      return bulk.getThreadCpuTime(ids);
    }
    long[] cpus = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      cpus[i] = threads.getThreadCpuTime(ids[i]);
    }
    return cpus;
  }

  static String group(String threadName) {
    String name = ID.matcher(threadName).replaceAll("#");
    return name.length() > 60 ? name.substring(0, 60) : name;
  }

  /** CPU seconds per thread group since construction, largest first. */
  public synchronized Map<String, Double> byGroup() {
    sample(false);
    Map<String, Double> groups = new HashMap<>();
    last.forEach((id, cpu) -> groups.merge(names.get(id), (cpu - first.getOrDefault(id, 0L)) / 1e9, Double::sum));
    Map<String, Double> sorted = new LinkedHashMap<>();
    groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
