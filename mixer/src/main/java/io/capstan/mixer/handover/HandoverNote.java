package io.capstan.mixer.handover;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The resume points of a partition's jobs, written into the metadata of the partition's committed
 * offset so that they commit in the same transaction as the packets they describe. The broker caps
 * that metadata ({@code offset.metadata.max.bytes}, 4096 by default): jobs past {@link #MAX_CHARS}
 * are left out and resume as after a crash without a note (from their first replayed record, with
 * a discontinuity).
 */
public final class HandoverNote {

  /** Under the broker's default cap of 4096 bytes; the note is ASCII. */
  public static final int MAX_CHARS = 4000;
  private static final String VERSION = "m1";
  /** Job ids that need no escaping in the note; others are left out. */
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");

  private HandoverNote() {
  }

  public static String encode(Map<String, ResumePoint> points) {
    StringBuilder note = new StringBuilder(VERSION);
    for (Map.Entry<String, ResumePoint> e : points.entrySet()) {
      if (!PLAIN_ID.matcher(e.getKey()).matches()) {
        continue;
      }
      String entry = " " + e.getKey() + "/" + e.getValue().videoFrame() + "/" + e.getValue().audioUs();
      if (note.length() + entry.length() > MAX_CHARS) {
        break;
      }
      note.append(entry);
    }
    return note.toString();
  }

  /** The resume points in a committed offset's metadata; none when it holds no note of ours. */
  public static Map<String, ResumePoint> decode(String metadata) {
    Map<String, ResumePoint> points = new LinkedHashMap<>();
    if (metadata == null || !metadata.startsWith(VERSION)) {
      return points;
    }
    for (String entry : metadata.substring(VERSION.length()).trim().split(" ")) {
      String[] parts = entry.split("/");
      if (parts.length != 3) {
        continue;
      }
      try {
        points.put(parts[0], new ResumePoint(Long.parseLong(parts[1]), Long.parseLong(parts[2])));
      } catch (NumberFormatException e) {
        // not ours: that job resumes without a note
      }
    }
    return points;
  }
}
