package io.capstan.segmenter.playlist;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * An HLS media playlist of type EVENT: slices are only ever appended, and {@link #end()} appends
 * {@code #EXT-X-ENDLIST}. The playlist type stays EVENT after the end because RFC 8216 forbids an
 * EVENT playlist to change except by appending; EVENT plus ENDLIST plays as video on demand.
 */
public final class MediaPlaylist {

  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  private final List<PlaylistEntry> entries = new ArrayList<>();
  private boolean ended;

  public void add(PlaylistEntry entry) {
    if (ended) {
      throw new IllegalStateException("the playlist has ended; cannot add " + entry.uri());
    }
    entries.add(entry);
  }

  public void end() {
    ended = true;
  }

  public boolean ended() {
    return ended;
  }

  public List<PlaylistEntry> entries() {
    return List.copyOf(entries);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Sum of the slices' exact durations. */
  public long durationUs() {
    return entries.stream().mapToLong(PlaylistEntry::durationUs).sum();
  }

  /** {@code #EXT-X-TARGETDURATION}: the longest EXTINF rounded up to whole seconds, at least 1. */
  public int targetDuration() {
    BigDecimal longest = entries.stream().map(PlaylistEntry::extinf).max(BigDecimal::compareTo).orElse(BigDecimal.ONE);
    return Math.max(1, longest.setScale(0, RoundingMode.CEILING).intValueExact());
  }

  public String render() {
    StringBuilder out = new StringBuilder(128 + entries.size() * 96);
    out.append("#EXTM3U\n");
    // EXT-X-MAP in a playlist that is not I-frames only needs version 6; 7 is what fMP4 players expect.
    boolean maps = entries.stream().anyMatch(e -> e.map() != null);
    out.append("#EXT-X-VERSION:").append(maps ? 7 : 3).append('\n');
    out.append("#EXT-X-TARGETDURATION:").append(targetDuration()).append('\n');
    out.append("#EXT-X-MEDIA-SEQUENCE:0\n");
    out.append("#EXT-X-PLAYLIST-TYPE:EVENT\n");
    String map = null;
    for (PlaylistEntry entry : entries) {
      if (entry.discontinuity()) {
        out.append("#EXT-X-DISCONTINUITY\n");
      }
      if (entry.map() != null && !entry.map().equals(map)) {
        out.append("#EXT-X-MAP:URI=\"").append(entry.map()).append("\"\n");
        map = entry.map();
      }
      out.append("#EXT-X-PROGRAM-DATE-TIME:").append(DATE_TIME.format(Instant.ofEpochMilli(entry.programDateTimeUtcMs())))
          .append('\n');
      out.append("#EXTINF:").append(entry.extinf().toPlainString()).append(",\n");
      out.append(entry.uri()).append('\n');
    }
    if (ended) {
      out.append("#EXT-X-ENDLIST\n");
    }
    return out.toString();
  }
}
