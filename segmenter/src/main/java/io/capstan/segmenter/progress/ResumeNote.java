package io.capstan.segmenter.progress;

import io.capstan.segmenter.job.OutputKey;
import io.capstan.segmenter.job.OutputKind;
import io.capstan.segmenter.naming.TrackSet;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  /** A deflated, base64 r2 note. */
  private static final String COMPRESSED = "z2:";
  private static final long WARN_EVERY_NANOS = 60_000_000_000L;
  private static final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
  private static final Logger log = LoggerFactory.getLogger(ResumeNote.class);
  private static final String VERSION_1 = "r1";

  /**
   * @param playlist null when the output has no slice yet (always null for MP4 and snapshots)
   * @param carry what else the output needs to go on: for MP4 the index of its file in progress,
   *     for snapshots when the next one is due (job-timeline us), for HLS the offset below which its
   *     video records are in slices already out (0 in notes of versions before it)
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
   * The note as text of at most {@code maxChars}: plain when it fits, else deflated (a note of many
   * outputs shrinks several times). Entries that fit neither way are left out, with a warning: a new
   * owner would then write their records again (duplicates, never losses) and could not continue
   * their playlists — raise the broker's {@code offset.metadata.max.bytes} and this limit then.
   */
  public String encode(int maxChars) {
    String plain = encode(Integer.MAX_VALUE, false);
    if (plain.length() <= maxChars) {
      return plain;
    }
    String packed = COMPRESSED + Base64.getEncoder().encodeToString(deflate(plain));
    if (packed.length() <= maxChars) {
      return packed;
    }
    String cut = encode(maxChars, true);
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last > WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      log.warn("the resume note of {} outputs and {} ended jobs does not fit in {} characters even compressed; "
          + "some are left out (raise segmenter.resume.note.max.chars with the broker's offset.metadata.max.bytes)",
          outputs.size(), endedJobs.size(), maxChars);
    }
    return cut;
  }

  private String encode(int maxChars, boolean cut) {
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

  private static byte[] deflate(String text) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try {
      deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static String inflate(byte[] bytes) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(bytes);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        out.write(buffer, 0, n);
      }
      return out.toString(StandardCharsets.UTF_8);
    } catch (DataFormatException e) {
      return "";
    } finally {
      inflater.end();
    }
  }

  public static ResumeNote decode(String text) {
    if (text != null && text.startsWith(COMPRESSED)) {
      try {
        text = inflate(Base64.getDecoder().decode(text.substring(COMPRESSED.length())));
      } catch (IllegalArgumentException e) {
        text = "";
      }
    }
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
