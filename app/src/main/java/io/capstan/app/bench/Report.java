package io.capstan.app.bench;

import io.capstan.runtime.kafka.Topics;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints a run's figures: a table per job type, our/baseline ratios beside the targets, and how each figure is measured. */
public final class Report {

  private static final String ROW = "  %-44s %11s %10s %14s %12s %8s  %s%n";

  private final BenchResults r;
  private final PrintStream out;

  public Report(BenchResults results, PrintStream out) {
    this.r = results;
    this.out = out;
  }

  public void print(String header) {
    BenchPlan p = r.plan;
    Encoding e = p.encoding();
    out.println();
    out.println(header);
    out.printf(Locale.ROOT, "sources: %d × %dx%d@%d fps H.264 + AAC mono in MP4 (%s; tones %s Hz), %d s each; "
            + "warm-up: rounds of %d s recordings until the JIT settles (under %.0f %% of a round's CPU): raw frames %s;"
            + " services %s%n", BenchPlan.UIDS, BenchPlan.SOURCE_WIDTH, BenchPlan.SOURCE_HEIGHT,
        e.fps(), String.join(", ", FfmpegCommands.PATTERNS), FfmpegCommands.TONES_HZ, p.seconds(), p.warmupSeconds(),
        JitWarmUp.SETTLED * 100, r.rawFramesWarmUp.describe(), r.pipelineWarmUp.describe());

    if (r.idle != null) {
      out.println();
      out.printf(Locale.ROOT, "IDLE — every service + broker in this process, no recording, over %.0f s from %.0f s"
          + " after the warm-up%s: %.3f cores (target ≤ %.2f)%n", r.idle.wallSeconds(),
          r.idleSettle.waited().toMillis() / 1e3, switch (r.idleSettle.state()) {
            case QUIET -> String.format(Locale.ROOT, ", once the JIT had compiled under %.1f %% of a core for %d s",
                JitQuiet.QUIET_SHARE * 100, JitQuiet.WINDOW.toSeconds());
            case COMPILING -> " (the JIT was still compiling then)";
            case UNCHECKED -> "";
          }, r.idle.cores(), IdleCpu.TARGET_CORES);
      out.printf(Locale.ROOT, "  by owner, cores: the embedded broker's threads %.4f; Capstan's services and their Kafka"
          + " clients %.4f (what a server on a Kafka cluster of its own spends); the JVM (JIT, GC) %.4f%n",
          r.idle.brokerCores(), r.idle.servicesCores(), r.idle.jvmCores());
      StringBuilder top = new StringBuilder();
      r.idle.topThreads().forEach((name, cpu) -> top.append(String.format(Locale.ROOT, "%s %.2f; ", name, cpu)));
      out.println("  busiest threads (Java, JIT, GC, native), CPU-s: " + (top.length() == 0 ? "none above 0.005" : top));
      if (!r.idle.brokerRequests().isEmpty()) {
        out.println("  broker requests per second: " + BrokerRequests.perSecond(r.idle.brokerRequests(),
            r.idle.wallSeconds()));
      }
    }
    if (r.composite != null) {
      out.println();
      out.printf(Locale.ROOT, "COMPOSITE — %d concurrent job(s), 4 uids → %dx%d@%d best fit, H.264 %d kbps (x264 %s) "
              + "+ AAC mono %d kbps, HLS %d s slices%n", p.composite(), e.width(), e.height(), e.fps(),
          e.bitrateKbps(), e.preset(), Encoding.AUDIO_KBPS, e.sliceSeconds());
      header();
      row("capstan (every service + broker, FAST)", r.composite);
      row("(a) ffmpeg, one process", r.ffmpegComposite);
      row("(b) (a) + raw frames producer→broker→consumer", r.compositePlusRawFrames());
      ratio("capstan / (a)", r.composite, r.ffmpegComposite, "floor ≈ 1.6× (toolchain.md: raw frames cost as much as encoding)");
      ratio("capstan / (b)", r.composite, r.compositePlusRawFrames(), "target ≤ 1.25×");
      kafka(r.composite);
      threads(r.composite);
    }
    if (r.individual != null) {
      out.println();
      out.printf(Locale.ROOT, "INDIVIDUAL — %d concurrent job(s), 4 uids each, one audio + one video HLS per uid, "
              + "%d s slices. PASSTHROUGH: ingest sends each uid's H.264 and AAC packets untouched and the "
              + "segmenter writes them; (d) is what re-encoding them (H.264 %d kbps at 640x360, AAC mono %d kbps) "
              + "would cost%n", p.individual(),
          e.sliceSeconds(), Encoding.individualKbps(BenchPlan.SOURCE_WIDTH, BenchPlan.SOURCE_HEIGHT, e.fps()),
          Encoding.AUDIO_KBPS);
      header();
      row("capstan (every service + broker, FAST)", r.individual);
      row("(c) ffmpeg remux -c copy -f hls", r.ffmpegRemux);
      row("(d) ffmpeg transcode, the work passthrough avoids", r.ffmpegTranscode);
      ratio("capstan / (c)", r.individual, r.ffmpegRemux, "passthrough target ≤ 1.5× (the Kafka round trip dominates)");
      ratio("capstan / (d)", r.individual, r.ffmpegTranscode, "below 1: cheaper than transcoding");
      kafka(r.individual);
      threads(r.individual);
    }
    if (r.liveCompositeRun != null || r.liveIndividualRun != null) {
      out.println();
      out.printf(Locale.ROOT, "LIVE — REALTIME pacing (media enters at its time, on 50 ms ticks), %d composite"
          + " job(s), then %d individual job(s), each alone; Stop after %d s, %d s slices; live warm-up (%d composite"
          + " recordings at once): %s%n", p.composite(), p.individual(), p.liveSeconds(), p.liveSlice(),
          r.liveWarmUpRecordings, r.liveWarmUp.describe());
      header();
      row("capstan, live composite", r.liveCompositeRun);
      row("(a) ffmpeg composite, inputs at their rate (-re)", r.ffmpegLiveComposite);
      if (r.ffmpegLiveCompositeBefore != null) {
        out.printf(Locale.ROOT, "    (a) live ran before and after capstan's: %.3f and %.3f CPU-s/out-s; the row adds both%n",
            r.ffmpegLiveCompositeBefore.cpuPerOutputSecond(), r.ffmpegLiveCompositeAfter.cpuPerOutputSecond());
      }
      row("(b) (a) + raw frames producer→broker→consumer", r.liveCompositePlusRawFrames());
      ratio("capstan live / (a) live", r.liveCompositeRun, r.ffmpegLiveComposite, "target ≤ 1.8×");
      ratio("capstan live / (b) live", r.liveCompositeRun, r.liveCompositePlusRawFrames(),
          "(b): the raw frames' round trip as measured above");
      kafka(r.liveCompositeRun);
      threads(r.liveCompositeRun);
      row("capstan, live individual", r.liveIndividualRun);
      kafka(r.liveIndividualRun);
      latency("composite", r.liveComposite);
      latency("individual", r.liveIndividual);
      out.println("  latency = slice file's mtime in storage − (PROGRAM-DATE-TIME + EXTINF − 1/fps): from the slice's last"
          + " video frame entering ingest (REALTIME publishes a file's media at job time t at UTC start + t, or on the"
          + " 50 ms tick before it) to the uploader"
          + " having written the slice; target ≤ 2000 ms");
    }
    profile();
    whip();
    capacity();
    out.println();
    out.println("How: CPU-s/out-s = CPU seconds over recording seconds produced (all jobs of the row). Capstan: this"
        + " process's CPU time (OperatingSystemMXBean, every thread incl. FFmpeg's native ones, GC, JIT) from Start to"
        + " the last session_exit; ffmpeg: the children's user+sys time from the kernel (cutime+cstime of a bash"
        + " wrapper that waited for them). ×realtime = recording seconds / wall seconds, jobs together. Kafka ="
        + " bytes the broker took in on capstan.frames+packets+files (its BytesInPerSec meters, before/after). Peak RSS ="
        + " VmHWM after resetting it (/proc/self/clear_refs) at the phase start: the whole process, broker included;"
        + " ffmpeg: sum of the concurrent children's VmHWM. Baselines are measured in the same run, after a warm-up.");
  }

  /** Each profiled phase's CPU split by category: share of the samples and CPU-s per output second. */
  private void profile() {
    if (r.profiles.isEmpty()) {
      return;
    }
    out.println();
    PhaseProfiler.Profile any = r.profiles.values().iterator().next();
    out.printf(Locale.ROOT, "PROFILE — async-profiler %s every %s over each phase, every thread; share of the samples"
        + " and CPU-s per output second (the phase's CPU × share)%n", any.event(), PhaseProfiler.INTERVAL);
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-36s", ""));
    for (String phase : r.profiles.keySet()) {
      head.append(String.format(Locale.ROOT, " %20s", phase));
    }
    out.println(head);
    for (CpuCategory c : CpuCategory.values()) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-36s", c.label()));
      for (Map.Entry<String, PhaseProfiler.Profile> e : r.profiles.entrySet()) {
        Measured m = measuredOf(e.getKey());
        double share = e.getValue().share(c);
        line.append(m == null ? String.format(Locale.ROOT, " %19.1f%%", 100 * share)
            : String.format(Locale.ROOT, " %7.1f%% %10.3f", 100 * share, share * m.cpuPerOutputSecond()));
      }
      out.println(line);
    }
    StringBuilder total = new StringBuilder(String.format(Locale.ROOT, "  %-36s", "samples (CPU-s/out-s)"));
    for (Map.Entry<String, PhaseProfiler.Profile> e : r.profiles.entrySet()) {
      Measured m = measuredOf(e.getKey());
      total.append(String.format(Locale.ROOT, " %8d %10s", e.getValue().total(),
          m == null ? "-" : f3(m.cpuPerOutputSecond())));
    }
    out.println(total);
    out.println("  files: " + any.collapsed().getParent() + "/profile-<phase>.collapsed (stacks) and .html (flame"
        + " graph); categories from frame names (StackClassifier): the frame nearest the leaf that names one decides");
  }

  private Measured measuredOf(String phase) {
    return switch (phase) {
      case "raw-frames" -> r.rawFrames;
      case "composite" -> r.composite;
      case "individual" -> r.individual;
      case "live-composite" -> r.liveCompositeRun;
      case "live-individual" -> r.liveIndividualRun;
      default -> null;
    };
  }

  private void whip() {
    if (r.whip.isEmpty()) {
      return;
    }
    out.println();
    out.println("WHIP — one publisher (640x360@30, a process of its own) recorded by a 640x360@30 composite (REALTIME),"
        + " beside the same media read from a file by the same recording");
    header();
    r.whip.forEach((codec, rows) -> {
      row("WHIP " + codec + " publisher", rows[0]);
      row("the same media from a file (" + codec + ")", rows[1]);
      ratio("WHIP / file, " + codec, rows[0], rows[1], "CPU-s per second of media");
    });
  }

  private void capacity() {
    if (r.capacity.isEmpty()) {
      return;
    }
    out.println();
    out.printf(Locale.ROOT, "CAPACITY — concurrent REALTIME recordings of 4 uids (composite %dx%d@%d; individual"
            + " passthrough), one more per step, while p99 slice latency ≤ %.0f ms and nothing is dropped late (%d s"
            + " slices)%n", r.plan.encoding().width(), r.plan.encoding().height(), r.plan.encoding().fps(),
        Capacity.MAX_P99_MS, r.plan.liveSlice());
    out.printf("  %-22s %10s %16s %28s  %s%n", "", "sustained", "MiB/recording", "peak RSS MiB at 1, 2, ...",
        "p99 ms at 1, 2, ... (verdict of the last step)");
    for (Capacity c : r.capacity) {
      StringBuilder rss = new StringBuilder();
      StringBuilder p99 = new StringBuilder();
      for (Capacity.Step s : c.steps()) {
        rss.append(rss.length() == 0 ? "" : ", ").append(s.peakRssBytes() > 0
            ? String.format(Locale.ROOT, "%.0f", s.peakRssBytes() / 1048576.0) : "?");
        p99.append(p99.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", s.p99Ms()));
      }
      Capacity.Step last = c.steps().get(c.steps().size() - 1);
      long per = c.bytesPerRecording();
      out.printf(Locale.ROOT, "  %-22s %10s %16s %28s  %s (%s)%n", c.label(),
          (c.capped() ? "≥ " : "") + c.sustained(), per < 0 ? "-" : String.format(Locale.ROOT, "%.0f", per / 1048576.0),
          rss, p99, last.verdict());
    }
    out.println("  MiB/recording = slope of the step's peak RSS over recordings (least squares over sustained steps):"
        + " Capstan's whole process, ffmpeg's children summed; ≥ N: the ramp stopped at --capacity-max");
  }

  private void header() {
    out.printf(ROW, "", "CPU-s/out-s", "×realtime", "Kafka MB/out-s", "peak RSS MiB", "wall s", "load avg");
  }

  private void row(String label, Measured m) {
    if (m == null) {
      return;
    }
    out.printf(Locale.ROOT, ROW, label, f3(m.cpuPerOutputSecond()),
        m.usage().wallSeconds() > 0 && !label.startsWith("(b)") ? f2(m.realtimeFactor()) : "-",
        m.kafkaBytes().isEmpty() ? "-" : f2(m.kafkaBytesPerOutputSecond() / 1e6),
        m.usage().peakRssBytes() > 0 ? String.format(Locale.ROOT, "%.0f", m.usage().peakRssBytes() / 1048576.0) : "-",
        label.startsWith("(b)") ? "-" : String.format(Locale.ROOT, "%.1f", m.usage().wallSeconds()), m.loadAverage());
  }

  private void ratio(String label, Measured ours, Measured baseline, String note) {
    if (ours == null || baseline == null) {
      return;
    }
    out.printf(Locale.ROOT, "  %-44s %10.2f×   %s%n", label + " (CPU per output second)", ours.cpuRatio(baseline), note);
  }

  private void kafka(Measured m) {
    if (m == null) {
      return;
    }
    Map<String, Long> b = m.kafkaBytes();
    out.printf(Locale.ROOT, "  capstan Kafka MB per output second: frames %s, packets %s, files %s%n",
        perSecond(b.get(Topics.FRAMES.name()), m), perSecond(b.get(Topics.PACKETS.name()), m),
        perSecond(b.get(Topics.FILES.name()), m));
    requests(m);
  }

  /** The broker's busiest request types per output second: what its CPU follows besides bytes. */
  private void requests(Measured m) {
    if (!m.brokerRequests().isEmpty()) {
      out.println("  broker requests per output second: " + BrokerRequests.perSecond(m.brokerRequests(),
          m.outputSeconds()));
    }
  }

  private String perSecond(Long bytes, Measured m) {
    return bytes == null ? "-" : f3(bytes / m.outputSeconds() / 1e6);
  }

  private void threads(Measured m) {
    if (m == null) {
      return;
    }
    double javaThreads = m.threadCpu().values().stream().mapToDouble(Double::doubleValue).sum();
    StringBuilder top = new StringBuilder();
    m.threadCpu().entrySet().stream().limit(8).forEach(t -> top.append(String.format(Locale.ROOT, "%s %.1f; ",
        t.getKey(), t.getValue())));
    out.printf(Locale.ROOT, "  capstan CPU-s by thread: %snot Java threads (libx264's own threads, GC, JIT) %.1f "
        + "of %.1f%n", top, m.usage().cpuSeconds() - javaThreads, m.usage().cpuSeconds());
  }

  private void latency(String label, List<Double> ms) {
    if (ms.isEmpty()) {
      return;
    }
    out.printf(Locale.ROOT, "  %-44s p50 %6.0f ms   p99 %6.0f ms   max %6.0f ms   (%d slices)%n",
        "slice latency, " + label, SliceLatency.percentile(ms, 50), SliceLatency.percentile(ms, 99),
        SliceLatency.percentile(ms, 100), ms.size());
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
