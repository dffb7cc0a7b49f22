package io.capstan.app.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import one.profiler.AsyncProfiler;

/**
 * async-profiler over one bench phase at a time, in CPU mode: every thread of this process, Java,
 * HotSpot's own (GC, JIT) and FFmpeg's native ones, sampled every {@link #INTERVAL}. Each phase
 * leaves {@code profile-<phase>.collapsed} (one line per distinct stack with its sample count) and
 * {@code profile-<phase>.html} (the flame graph) in the output directory, and its split by
 * {@link CpuCategory}.
 *
 * <p>The event is {@code itimer}: setitimer's ITIMER_PROF, one signal per 10 ms of the process's
 * CPU, delivered to whichever thread is running. It needs no perf_events permission
 * ({@code kernel.perf_event_paranoid}, containers) and, being process-wide, it sees threads born
 * during the phase in native code: libx264's and the decoders' worker threads, which the
 * {@code cpu} event (perf_events, one counter per thread the profiler knows) missed here, leaving
 * x264 at 3 % of a composite.
 */
public final class PhaseProfiler {

  static final String INTERVAL = "10ms";
  static final String EVENT = "itimer";

  /** One phase's profile: files written and samples per category. */
  public record Profile(String phase, String event, Path collapsed, Path flameGraph, Map<CpuCategory, Long> samples) {

    public long total() {
      return samples.values().stream().mapToLong(Long::longValue).sum();
    }

    public double share(CpuCategory c) {
      long total = total();
      return total == 0 ? 0 : (double) samples.get(c) / total;
    }
  }

  private final AsyncProfiler profiler;
  private final Path outDir;
  private NativeThreadNames names;

  private PhaseProfiler(AsyncProfiler profiler, Path outDir) {
    this.profiler = profiler;
    this.outDir = outDir;
  }

  /** Extracts the library for this machine from the async-profiler jar into {@code outDir} and loads it. */
  public static PhaseProfiler load(Path outDir) throws IOException {
    String arch = System.getProperty("os.arch");
    String platform = arch.equals("amd64") || arch.equals("x86_64") ? "linux-x64"
        : arch.equals("aarch64") ? "linux-arm64" : null;
    if (platform == null || !System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
      throw new IllegalStateException("--profile needs Linux on x86-64 or arm64 (async-profiler's libraries), not "
          + System.getProperty("os.name") + " " + arch);
    }
    Files.createDirectories(outDir);
    Path library = outDir.resolve("libasyncProfiler.so");
    try (InputStream in = AsyncProfiler.class.getResourceAsStream("/" + platform + "/libasyncProfiler.so")) {
      if (in == null) {
        throw new IllegalStateException("the async-profiler jar has no " + platform + "/libasyncProfiler.so");
      }
      Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
    }
    return new PhaseProfiler(AsyncProfiler.getInstance(library.toAbsolutePath().toString()), outDir);
  }

  /** Starts sampling the whole process, one tree per thread. */
  public void start() throws IOException {
    names = new NativeThreadNames();
    profiler.execute("start,event=" + EVENT + ",interval=" + INTERVAL + ",threads");
  }

  /** Stops sampling and writes the phase's collapsed stacks and flame graph. */
  public Profile stop(String phase) throws IOException {
    profiler.execute("stop");
    names.close();
    Path collapsed = outDir.resolve("profile-" + phase + ".collapsed");
    Path html = outDir.resolve("profile-" + phase + ".html");
    profiler.execute("dump,collapsed,file=" + collapsed.toAbsolutePath());
    profiler.execute("dump,flamegraph,title=capstan bench " + phase + ",file=" + html.toAbsolutePath());
    List<String> stacks = names.rename(Files.readAllLines(collapsed));
    Files.write(collapsed, stacks);
    return new Profile(phase, EVENT, collapsed, html, StackClassifier.split(stacks));
  }
}
