package io.capstan.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Linux's timer slack of the calling thread: how late the kernel may fire its timed waits so that
 * they wake together with others. Threads inherit it from the thread that starts them, as systemd's
 * {@code TimerSlackNSec=} relies on. A thread may set its own without privileges; only
 * {@code /proc/<tid>/timerslack_ns} offers it (there is no {@code /proc/thread-self/timerslack_ns}).
 */
final class TimerSlack {

  private static final Path THREAD_SELF = Path.of("/proc/thread-self");

  private TimerSlack() {
  }

  /** @return false where the platform has no such setting (not Linux, no procfs, a kernel before 4.6) */
  static boolean setForThisThread(Duration slack) {
    try {
      Files.writeString(ownFile(), Long.toString(slack.toNanos()), StandardOpenOption.WRITE);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  static OptionalLong ofThisThreadNanos() {
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(ownFile()).trim()));
    } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** {@code /proc/<tid>/timerslack_ns}, found through {@code /proc/thread-self -> <pid>/task/<tid>}. */
  private static Path ownFile() throws IOException {
    String tid = Files.readSymbolicLink(THREAD_SELF).getFileName().toString();
    return Path.of("/proc", tid, "timerslack_ns");
  }
}
