package io.capstan.runtime.hls;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the HLS media playlists Capstan writes: each slice with its exact #EXTINF, its
 * #EXT-X-PROGRAM-DATE-TIME, whether a #EXT-X-DISCONTINUITY precedes it and its #EXT-X-MAP; and
 * whether #EXT-X-ENDLIST closes it. Pure text: the segmenter (continuing a playlist after a
 * takeover) and the storage read-back kit share it.
 */
public final class HlsPlaylistText {

  /** One slice of a playlist. */
  public record Entry(String uri, long durationUs, long dateTimeMs, boolean discontinuity, String map) {
  }

  /** A whole playlist. */
  public record Parsed(List<Entry> entries, boolean ended) {
    public Parsed {
      entries = List.copyOf(entries);
    }
  }

  private static final Pattern MAP_URI = Pattern.compile("URI=\"([^\"]*)\"");

  private HlsPlaylistText() {
  }

  /** @throws IllegalArgumentException when a slice has no #EXTINF, or a tag cannot be read */
  public static Parsed parse(String text) {
    List<Entry> entries = new ArrayList<>();
    boolean discontinuity = false;
    long dateTimeMs = 0;
    long durationUs = -1;
    boolean ended = false;
    String map = null;
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.equals("#EXT-X-DISCONTINUITY")) {
        discontinuity = true;
      } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
        dateTimeMs = Instant.parse(line.substring("#EXT-X-PROGRAM-DATE-TIME:".length())).toEpochMilli();
      } else if (line.startsWith("#EXTINF:")) {
        String value = line.substring("#EXTINF:".length());
        int comma = value.indexOf(',');
        durationUs = new BigDecimal(comma < 0 ? value : value.substring(0, comma)).movePointRight(6).longValue();
      } else if (line.startsWith("#EXT-X-MAP:")) {
        Matcher uri = MAP_URI.matcher(line);
        map = uri.find() ? uri.group(1) : null;
      } else if (line.equals("#EXT-X-ENDLIST")) {
        ended = true;
      } else if (!line.startsWith("#")) {
        if (durationUs < 0) {
          throw new IllegalArgumentException("slice " + line + " has no #EXTINF");
        }
        entries.add(new Entry(line, durationUs, dateTimeMs, discontinuity, map));
        discontinuity = false;
        durationUs = -1;
      }
    }
    return new Parsed(entries, ended);
  }
}
