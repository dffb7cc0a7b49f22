package io.capstan.segmenter.playlist;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads back a playlist {@link MediaPlaylist#render()} wrote, so an instance that takes over a job
 * continues the same playlist. Durations come back at the millisecond precision of EXTINF.
 */
public final class PlaylistParser {

  private static final Pattern MAP_URI = Pattern.compile("URI=\"([^\"]*)\"");

  private PlaylistParser() {
  }

  public static MediaPlaylist parse(String text) {
    MediaPlaylist playlist = new MediaPlaylist();
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
        durationUs = new BigDecimal(comma < 0 ? value : value.substring(0, comma)).movePointRight(6).longValueExact();
      } else if (line.startsWith("#EXT-X-MAP:")) {
        Matcher uri = MAP_URI.matcher(line);
        map = uri.find() ? uri.group(1) : null;
      } else if (line.equals("#EXT-X-ENDLIST")) {
        ended = true;
      } else if (!line.startsWith("#")) {
        if (durationUs < 0) {
          throw new IllegalArgumentException("slice " + line + " has no #EXTINF");
        }
        playlist.add(new PlaylistEntry(line, durationUs, dateTimeMs, discontinuity, map));
        discontinuity = false;
        durationUs = -1;
      }
    }
    if (ended) {
      playlist.end();
    }
    return playlist;
  }
}
