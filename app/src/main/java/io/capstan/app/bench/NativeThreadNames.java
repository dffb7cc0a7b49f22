package io.capstan.app.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the native threads of a profile. async-profiler names Java threads, but a thread FFmpeg
 * starts (libx264's workers, a decoder's frame threads) is only {@code [tid=N]}, and JavaCV's
 * libavcodec is stripped: its frames are the library's path, the same for x264 and the H.264
 * decoder. Linux gives a new thread its creator's name, though, so a native thread named
 * {@code mixer} is the encoder's and one named {@code source-1002} a decoder's. The names are read
 * from /proc/self/task every second while the phase runs (the threads end with their job, which
 * lasts longer) and
 * written into the stacks as {@code [native:<name> tid=N]}.
 */
final class NativeThreadNames implements AutoCloseable {

  private static final Pattern UNNAMED = Pattern.compile("^\\[tid=(\\d+)]");

  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-thread-names");
    t.setDaemon(true);
    return t;
  });

  NativeThreadNames() {
    sampler.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
  }

  private void sample() {
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        String tid = task.getFileName().toString();
        if (!names.containsKey(tid)) {
          try {
            names.put(tid, Files.readString(task.resolve("comm")).strip());
          } catch (IOException gone) {
            // the thread ended between the listing and the read
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: stacks keep [tid=N]
    }
  }

  /** The collapsed lines with each unnamed thread's root frame given the name its thread had. */
  List<String> rename(List<String> collapsed) {
    List<String> out = new ArrayList<>(collapsed.size());
    for (String line : collapsed) {
      Matcher m = UNNAMED.matcher(line);
      String name = m.find() ? names.get(m.group(1)) : null;
      out.add(name == null ? line : "[native:" + name + " tid=" + m.group(1) + "]" + line.substring(m.end()));
    }
    return out;
  }

  @Override
  public void close() {
    sample();
    sampler.shutdownNow();
  }
}
