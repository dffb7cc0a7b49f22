package io.capstan.ingest.command;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an instance that gives up a command partition tells the next owner, in the metadata of the
 * offset it commits as it lets go: for each job it keeps recording for a moment, the point on the
 * job's timeline where its media ends ({@code untilUs}). The next owner writes that job's media from
 * exactly there, so the recording moves without a hole and without two writers at once.
 *
 * <p>Kafka keeps at most {@code offset.metadata.max.bytes} (4096 by default) of it: jobs that do
 * not fit in {@link #MAX_CHARS} are left out, and their owner lets them go at once instead.
 */
public record HandOffNote(Map<String, Long> untilUs) {

  static final int MAX_CHARS = 4000;
  private static final String VERSION = "h1:";

  public static HandOffNote empty() {
    return new HandOffNote(Map.of());
  }

  /** The jobs of {@code planned} (in order) whose entries fit in {@link #MAX_CHARS}. */
  public static HandOffNote fitting(Map<String, Long> planned) {
    Map<String, Long> kept = new LinkedHashMap<>();
    int length = VERSION.length();
    for (Map.Entry<String, Long> e : planned.entrySet()) {
      int entry = entry(e.getKey(), e.getValue()).length() + 1;
      if (length + entry > MAX_CHARS) {
        continue;
      }
      length += entry;
      kept.put(e.getKey(), e.getValue());
    }
    return new HandOffNote(Map.copyOf(kept));
  }

  public String encode() {
    if (untilUs.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder(VERSION);
    untilUs.forEach((jobId, us) -> text.append(entry(jobId, us)).append(';'));
    return text.toString();
  }

  /** The note in an offset's metadata; empty for anything else (another version, a plain commit). */
  public static HandOffNote decode(String metadata) {
    if (metadata == null || !metadata.startsWith(VERSION)) {
      return empty();
    }
    Map<String, Long> found = new LinkedHashMap<>();
    for (String entry : metadata.substring(VERSION.length()).split(";")) {
      int eq = entry.lastIndexOf('=');
      if (eq <= 0) {
        continue;
      }
      try {
        found.put(URLDecoder.decode(entry.substring(0, eq), StandardCharsets.UTF_8),
            Long.parseLong(entry.substring(eq + 1)));
      } catch (IllegalArgumentException e) {
        // a damaged entry: that job moves as if no note had been left
      }
    }
    return new HandOffNote(Map.copyOf(found));
  }

  private static String entry(String jobId, long us) {
    return URLEncoder.encode(jobId, StandardCharsets.UTF_8) + "=" + us;
  }
}
