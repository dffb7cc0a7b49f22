package io.capstan.app.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's CPU time and the resident-memory high-water mark of any process, from the JVM and /proc. */
public final class ProcStatus {

  private ProcStatus() {
  }

  /** CPU time of the whole process (every thread: Java, JIT, GC and FFmpeg's native ones), ns. */
  public static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * Resets this process's VmHWM to its current RSS (writing 5 to /proc/self/clear_refs, Linux 4.0+),
   * so the next {@link #peakRssBytes} is the peak of what follows. @return false where not allowed
   */
  public static boolean resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  public static long peakRssBytes() {
    return peakRssBytes(ProcessHandle.current().pid());
  }

  /** VmHWM of a process, bytes; 0 when it is gone. */
  public static long peakRssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended between the listing and the read
    }
    return 0;
  }

  /** The first line of /proc/loadavg: how busy the machine was around a measurement. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
