package io.capstan.app.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.JMException;

/**
 * What the deployment costs with no recording: this process's CPU (every service and the broker)
 * over a quiet stretch, in cores, and the thread groups that spent it. Threads are read once at
 * each end rather than sampled, so the measurement adds nothing to what it measures. On Linux
 * every thread is counted by its kernel name (the JIT's, the GC's and native ones too); elsewhere
 * only Java threads.
 *
 * <p>The same CPU split by owner: the embedded broker's Java threads (those it started, in its
 * {@link io.capstan.broker.EmbeddedKafka#liveThreads() thread group}), every other Java thread (Capstan's
 * services and their Kafka clients: what a deployment on a Kafka cluster of its own costs), and
 * the rest of the process (the JIT, the GC, the JVM's own threads).
 *
 * @param cores      CPU seconds per wall second
 * @param topThreads CPU seconds per thread group, largest first
 * @param brokerRequests the in-process broker's requests meanwhile, by type (what keeps it awake)
 * @param brokerCores the embedded broker's Java threads, in cores
 * @param servicesCores every other Java thread (the services and their Kafka clients), in cores
 */
public record IdleCpu(double cores, double wallSeconds, Map<String, Double> topThreads,
                      Map<String, Long> brokerRequests, double brokerCores, double servicesCores) {

  /** The target of issue 20: an idle server sleeps. */
  public static final double TARGET_CORES = 0.02;
  private static final Path TASKS = Path.of("/proc/self/task");
  /** Kernel clock ticks per second of /proc's times (USER_HZ; 100 on every Linux Capstan runs on). */
  private static final double TICKS_PER_SECOND = 100;

  /** The JIT, the GC and the JVM's other threads (and any native thread): what no Java thread spent. */
  public double jvmCores() {
    return Math.max(0, cores - brokerCores - servicesCores);
  }

  /** @param broker the in-process broker's threads alive now */
  public static IdleCpu measure(Duration quiet, Supplier<List<Thread>> broker) throws InterruptedException,
      JMException {
    boolean proc = Files.isDirectory(TASKS);
    BrokerRequests requests = BrokerRequests.now();
    Map<String, Sample> before = proc ? kernelThreads() : javaThreads();
    Map<Long, Long> javaBefore = javaCpuNanos();
    long cpuBefore = ProcStatus.processCpuNanos();
    long wallBefore = System.nanoTime();
    Thread.sleep(quiet.toMillis()); // the measurement is of doing nothing for this long
    long cpu = ProcStatus.processCpuNanos() - cpuBefore;
    Map<Long, Long> javaAfter = javaCpuNanos();
    double wall = (System.nanoTime() - wallBefore) / 1e9;
    Set<Long> brokerIds = broker.get().stream().map(Thread::getId).collect(Collectors.toSet());
    long brokerNanos = 0;
    long servicesNanos = 0;
    for (Map.Entry<Long, Long> thread : javaAfter.entrySet()) {
      long spent = thread.getValue() - javaBefore.getOrDefault(thread.getKey(), 0L);
      if (brokerIds.contains(thread.getKey())) {
        brokerNanos += spent;
      } else {
        servicesNanos += spent;
      }
    }
    Map<String, Double> groups = new HashMap<>();
    (proc ? kernelThreads() : javaThreads()).forEach((id, now) -> {
      Sample then = before.get(id);
      groups.merge(ThreadCpu.group(now.name()), now.seconds() - (then == null ? 0 : then.seconds()), Double::sum);
    });
    Map<String, Double> top = new LinkedHashMap<>();
    groups.entrySet().stream().filter(e -> e.getValue() > 0.005)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    return new IdleCpu(cpu / 1e9 / wall, wall, top, BrokerRequests.now().since(requests), brokerNanos / 1e9 / wall,
        servicesNanos / 1e9 / wall);
  }

  /** Every live Java thread's CPU, nanoseconds by thread id, in one call where HotSpot offers it. */
  private static Map<Long, Long> javaCpuNanos() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    ThreadCpu.enableCpuTime(mx);
    long[] ids = mx.getAllThreadIds();
    long[] nanos = ThreadCpu.cpuTimes(mx, ids);
    Map<Long, Long> cpu = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (nanos[i] >= 0) {
        cpu.put(ids[i], nanos[i]);
      }
    }
    return cpu;
  }

  /** Every thread of this process: /proc/self/task/{tid}/stat's name, utime and stime. */
  private static Map<String, Sample> kernelThreads() {
    Map<String, Sample> threads = new HashMap<>();
    try (Stream<Path> tasks = Files.list(TASKS)) {
      tasks.forEach(task -> {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          threads.put(task.getFileName().toString(), new Sample(name, ticks / TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
          // the thread ended between the listing and the read
        }
      });
    } catch (IOException e) {
      return javaThreads();
    }
    return threads;
  }

  private static Map<String, Sample> javaThreads() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    ThreadCpu.enableCpuTime(mx);
    Map<String, Sample> threads = new HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      long nanos = mx.getThreadCpuTime(id);
      ThreadInfo info = mx.getThreadInfo(id);
      if (nanos >= 0 && info != null) {
        threads.put(Long.toString(id), new Sample(info.getThreadName(), nanos / 1e9));
      }
    }
    return threads;
  }

  private record Sample(String name, double seconds) {
  }
}
