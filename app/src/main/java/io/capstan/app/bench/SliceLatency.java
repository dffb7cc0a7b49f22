package io.capstan.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Live latency from the files alone. In a REALTIME job, media at job time t enters ingest at UTC
 * startedUtcMs + t/1000 (ingest publishes each frame when the wall clock reaches it), and a
 * slice's #EXT-X-PROGRAM-DATE-TIME is the UTC of its first media. So the slice's last video
 * frame entered ingest at PDT + EXTINF − 1/fps, and the slice was in storage when the uploader
 * wrote it: the file's modification time (the local store writes a hidden temp file and renames
 * it, so the time is the end of the write). Latency = mtime − (PDT + EXTINF − 1/fps). Same clock
 * on both sides: one machine.
 */
public final class SliceLatency {

  private SliceLatency() {
  }

  /** Latencies in ms of every slice of every playlist (named {@code prefix}*.m3u8) in {@code dir}. */
  public static List<Double> of(Path dir, String prefix, int fps) throws IOException {
    List<Double> latencies = new ArrayList<>();
    double frameMs = 1000.0 / fps;
    for (Path playlist : Playlists.find(dir, prefix)) {
      for (Playlists.Entry e : Playlists.parse(Files.readString(playlist))) {
        Path slice = dir.resolve(e.uri());
        if (e.programDateTimeMs() == 0 || !Files.exists(slice)) {
          continue;
        }
        double storedMs = Files.getLastModifiedTime(slice).to(TimeUnit.MICROSECONDS) / 1000.0;
        double lastFrameMs = e.programDateTimeMs() + e.durationUs() / 1000.0 - frameMs;
        latencies.add(storedMs - lastFrameMs);
      }
    }
    return latencies;
  }

  /** The p-th percentile (0..100) by nearest rank; NaN for no samples. */
  public static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
