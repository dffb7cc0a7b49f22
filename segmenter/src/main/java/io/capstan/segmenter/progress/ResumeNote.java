package io.capstan.segmenter.progress;

import io.capstan.segmenter.job.OutputKey;
import io.capstan.segmenter.job.OutputKind;
import io.capstan.segmenter.naming.TrackSet;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The note committed with a packets partition's offset (the offset's metadata string): for every
 * output whose records from the committed offset on are partly written already, from which offset
 * its records are new, where its latest playlist is in capstan.files and whether its next slice
 * follows a break; and the jobs that ended after the committed offset. A new owner of the
 * partition reads it to skip what was written and to continue each playlist.
 *
 * <p>Kafka keeps at most {@code offset.metadata.max.bytes} (4096 by default) of it: see
 * {@link #encode(int)}.
 */
public record ResumeNote(Map<OutputKey, OutputNote> outputs, Map<String, Long> endedJobs) {

  private static final String VERSION = "r2";
  private static final String VERSION_1 = "r1";

  /**
   * @param playlist null when the output has no slice yet (always null for MP4 and snapshots)
   * @param carry what else the output needs to go on: for MP4 the index of its file in progress,
   *     for snapshots when the next one is due (job-timeline us); 0 for HLS
   */
  public record OutputNote(long resumeOffset, FileRef playlist, boolean discontinuity, long carry) {

    public OutputNote(long resumeOffset, FileRef playlist, boolean discontinuity) {
      this(resumeOffset, playlist, discontinuity, 0);
    }
  }

  public static ResumeNote empty() {
    return new ResumeNote(new LinkedHashMap<>(), new LinkedHashMap<>());
  }

  /**
   * The note as text of at most {@code maxChars}; entries that do not fit are left out (their
   * records are then written again by a new owner: duplicates, never losses).
   */
  public String encode(int maxChars) {
    StringBuilder out = new StringBuilder(VERSION);
    for (Map.Entry<String, Long> e : endedJobs.entrySet()) {
      append(out, maxChars, "e," + enc(e.getKey()) + "," + e.getValue());
    }
    for (Map.Entry<OutputKey, OutputNote> e : outputs.entrySet()) {
      OutputKey k = e.getKey();
      OutputNote n = e.getValue();
      String ref = n.playlist() == null ? "-,-" : n.playlist().partition() + "," + n.playlist().offset();
      append(out, maxChars, "o," + enc(k.jobId()) + "," + enc(k.uid()) + "," + k.tracks() + "," + n.resumeOffset()
          + "," + ref + "," + (n.discontinuity() ? 1 : 0) + "," + k.kind() + "," + n.carry());
    }
    return out.toString();
  }

  public static ResumeNote decode(String text) {
    ResumeNote note = empty();
    // r1 (before MP4 and snapshots) had HLS outputs only: the same fields without kind and carry.
    if (text == null || !(text.startsWith(VERSION) || text.startsWith(VERSION_1))) {
      return note;
    }
    for (String entry : text.split(";")) {
      String[] f = entry.split(",", -1);
      if (f[0].equals("e") && f.length == 3) {
        note.endedJobs().put(dec(f[1]), Long.parseLong(f[2]));
      } else if (f[0].equals("o") && (f.length == 8 || f.length == 10)) {
        OutputKind kind = f.length == 10 ? OutputKind.valueOf(f[8]) : OutputKind.HLS;
        long carry = f.length == 10 ? Long.parseLong(f[9]) : 0;
        OutputKey key = new OutputKey(dec(f[1]), dec(f[2]), TrackSet.valueOf(f[3]), kind);
        FileRef ref = f[5].equals("-") ? null : new FileRef(Integer.parseInt(f[5]), Long.parseLong(f[6]));
        note.outputs().put(key, new OutputNote(Long.parseLong(f[4]), ref, f[7].equals("1"), carry));
      }
    }
    return note;
  }

  public List<String> jobIds() {
    List<String> ids = new ArrayList<>(endedJobs.keySet());
    outputs.keySet().forEach(k -> ids.add(k.jobId()));
    return ids;
  }

  private static void append(StringBuilder out, int maxChars, String entry) {
    if (out.length() + 1 + entry.length() <= maxChars) {
      out.append(';').append(entry);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
