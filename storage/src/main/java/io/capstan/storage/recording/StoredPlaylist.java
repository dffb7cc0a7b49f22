package io.capstan.storage.recording;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HLS media playlist as the segmenter writes it: slices with their duration, UTC start
 * ({@code #EXT-X-PROGRAM-DATE-TIME}), discontinuity mark and fMP4 init segment.
 */
public record StoredPlaylist(List<Slice> slices, boolean ended) {

  private static final Pattern MAP_URI = Pattern.compile("URI=\"([^\"]*)\"");
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  /** One slice: {@code uri} relative to the playlist, {@code map} its init segment or null. */
  public record Slice(String uri, long durationUs, long startUtcMs, boolean discontinuity, String map) {

    public long endUtcMs() {
      return startUtcMs + durationUs / 1000;
    }
  }

  public StoredPlaylist {
    slices = List.copyOf(slices);
  }

  /** @throws IllegalArgumentException when the text is not a media playlist */
  public static StoredPlaylist parse(String text) {
    if (!text.startsWith("#EXTM3U")) {
      throw new IllegalArgumentException("not an HLS playlist (no #EXTM3U)");
    }
    List<Slice> slices = new ArrayList<>();
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
        slices.add(new Slice(line, durationUs, dateTimeMs, discontinuity, map));
        discontinuity = false;
        durationUs = -1;
      }
    }
    return new StoredPlaylist(slices, ended);
  }

  /** UTC ms of the first slice's start (0 when empty). */
  public long startUtcMs() {
    return slices.isEmpty() ? 0 : slices.get(0).startUtcMs();
  }

  /** UTC ms where the last slice ends (0 when empty). */
  public long endUtcMs() {
    return slices.stream().mapToLong(Slice::endUtcMs).max().orElse(0);
  }

  /** The same playlist with only {@code kept} slices (a discontinuity marks where slices were left out). */
  public StoredPlaylist only(List<Slice> kept) {
    List<Slice> out = new ArrayList<>();
    int last = -1;
    for (Slice s : kept) {
      int index = slices.indexOf(s);
      boolean gap = last >= 0 && index != last + 1;
      out.add(gap ? new Slice(s.uri(), s.durationUs(), s.startUtcMs(), true, s.map()) : s);
      last = index;
    }
    return new StoredPlaylist(out, ended);
  }

  public String render() {
    StringBuilder out = new StringBuilder("#EXTM3U\n");
    boolean maps = slices.stream().anyMatch(s -> s.map() != null);
    long longest = slices.stream().mapToLong(Slice::durationUs).max().orElse(1_000_000);
    out.append("#EXT-X-VERSION:").append(maps ? 7 : 3).append('\n');
    out.append("#EXT-X-TARGETDURATION:").append(Math.max(1, (longest + 999_999) / 1_000_000)).append('\n');
    out.append("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n");
    String map = null;
    for (Slice s : slices) {
      if (s.discontinuity()) {
        out.append("#EXT-X-DISCONTINUITY\n");
      }
      if (s.map() != null && !s.map().equals(map)) {
        out.append("#EXT-X-MAP:URI=\"").append(s.map()).append("\"\n");
        map = s.map();
      }
      out.append("#EXT-X-PROGRAM-DATE-TIME:").append(DATE_TIME.format(Instant.ofEpochMilli(s.startUtcMs()))).append('\n');
      out.append("#EXTINF:").append(BigDecimal.valueOf(s.durationUs(), 6).toPlainString()).append(",\n");
      out.append(s.uri()).append('\n');
    }
    out.append("#EXT-X-ENDLIST\n");
    return out.toString();
  }
}
