package io.capstan.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** One line about the machine a run's figures came from. */
final class Machine {

  private Machine() {
  }

  static String describe() {
    String cpu = "?";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    } catch (IOException | RuntimeException ignored) {
      // not Linux: the core count still says the essential
    }
    long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getTotalMemorySize();
    return String.format(Locale.ROOT, "machine: %d cores (%s), %.1f GiB RAM, %s %s, Java %s; load average at start %s",
        Runtime.getRuntime().availableProcessors(), cpu, memory / 1073741824.0, System.getProperty("os.name"),
        System.getProperty("os.version"), System.getProperty("java.version"), ProcStatus.loadAverage());
  }
}
