package io.capstan.storage.recording;

import io.capstan.runtime.hls.HlsPlaylistText;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * An HLS media playlist as the segmenter writes it: slices with their duration, UTC start
 * ({@code #EXT-X-PROGRAM-DATE-TIME}), discontinuity mark and fMP4 init segment.
 */
public record StoredPlaylist(List<Slice> slices, boolean ended) {

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
    HlsPlaylistText.Parsed parsed = HlsPlaylistText.parse(text);
    List<Slice> slices = new ArrayList<>();
    for (HlsPlaylistText.Entry e : parsed.entries()) {
      slices.add(new Slice(e.uri(), e.durationUs(), e.dateTimeMs(), e.discontinuity(), e.map()));
    }
    return new StoredPlaylist(slices, parsed.ended());
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
