package io.capstan.mixer.handover;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The resume points of a partition's jobs, per output (uid "" for a composite, the uid for an
 * individual job's transcoded uid), written into the metadata of the partition's committed offset
 * so that they commit in the same transaction as the packets they describe. The broker caps that
 * metadata ({@code offset.metadata.max.bytes}, 4096 by default): outputs past {@link #MAX_CHARS}
 * are left out and resume as after a crash without a note (from their first replayed record, with
 * a discontinuity).
 */
public final class HandoverNote {

  /** Under the broker's default cap of 4096 bytes; the note is ASCII. */
  public static final int MAX_CHARS = 4000;
  private static final String VERSION = "m2";
  /** Job ids and uids that need no escaping in the note; others are left out. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");

  private HandoverNote() {
  }

  /** @param points per job, per output uid */
  public static String encode(Map<String, Map<String, ResumePoint>> points) {
    StringBuilder note = new StringBuilder(VERSION);
    for (Map.Entry<String, Map<String, ResumePoint>> job : points.entrySet()) {
      if (!PLAIN.matcher(job.getKey()).matches()) {
        continue;
      }
      for (Map.Entry<String, ResumePoint> output : job.getValue().entrySet()) {
        String uid = output.getKey();
        if (!uid.isEmpty() && !PLAIN.matcher(uid).matches()) {
          continue;
        }
        ResumePoint point = output.getValue();
        String entry = " " + job.getKey() + (uid.isEmpty() ? "" : "#" + uid) + "/" + point.videoFrame() + "/"
            + point.audioUs();
        if (note.length() + entry.length() > MAX_CHARS) {
          return note.toString();
        }
        note.append(entry);
      }
    }
    return note.toString();
  }

  /** The resume points in a committed offset's metadata, per job, per output uid; none when it holds no note of ours. */
  public static Map<String, Map<String, ResumePoint>> decode(String metadata) {
    Map<String, Map<String, ResumePoint>> points = new LinkedHashMap<>();
    if (metadata == null || !metadata.startsWith(VERSION)) {
      return points;
    }
    for (String entry : metadata.substring(VERSION.length()).trim().split(" ")) {
      String[] parts = entry.split("/");
      if (parts.length != 3) {
        continue;
      }
      int hash = parts[0].indexOf('#');
      String jobId = hash < 0 ? parts[0] : parts[0].substring(0, hash);
      String uid = hash < 0 ? "" : parts[0].substring(hash + 1);
      try {
        ResumePoint point = new ResumePoint(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        points.computeIfAbsent(jobId, j -> new LinkedHashMap<>()).put(uid, point);
      } catch (NumberFormatException e) {
        // not ours: that output resumes without a note
      }
    }
    return points;
  }
}
