package io.capstan.segmenter.playlist;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * One slice of a media playlist.
 *
 * @param uri file name of the slice, relative to the playlist
 * @param durationUs exact duration of the slice in microseconds
 * @param programDateTimeUtcMs UTC ms of the slice's first media
 * @param discontinuity true when the slice follows a break (the mixer restarted)
 * @param map the fMP4 init segment the slice needs ({@code #EXT-X-MAP}), or null (MPEG-TS)
 */
public record PlaylistEntry(String uri, long durationUs, long programDateTimeUtcMs, boolean discontinuity,
                            String map) {

  public PlaylistEntry(String uri, long durationUs, long programDateTimeUtcMs, boolean discontinuity) {
    this(uri, durationUs, programDateTimeUtcMs, discontinuity, null);
  }

  public PlaylistEntry {
    Objects.requireNonNull(uri, "uri");
    if (durationUs < 0) {
      throw new IllegalArgumentException("negative slice duration " + durationUs + " us for " + uri);
    }
  }

  /** The EXTINF value: seconds with exactly three decimals, rounded half up. */
  public BigDecimal extinf() {
    return BigDecimal.valueOf(durationUs, 6).setScale(3, RoundingMode.HALF_UP);
  }
}
