package io.capstan.segmenter.hls;

import io.capstan.segmenter.mux.Fmp4Slices;
import io.capstan.segmenter.mux.TsSlices;
import java.util.Locale;

/** The container of HLS slices: MPEG-TS (the reference's, the default) or fragmented MP4. */
public enum SegmentType {
  /** {@code .ts} slices, each playable alone. */
  MPEGTS(".ts"),
  /** {@code .m4s} media segments after an {@code #EXT-X-MAP} init segment. */
  FMP4(".m4s");

  private final String extension;

  SegmentType(String extension) {
    this.extension = extension;
  }

  public String extension() {
    return extension;
  }

  /** FFmpeg's muxer for this type. */
  public SliceMuxer muxer() {
    return this == FMP4 ? Fmp4Slices::mux : TsSlices::mux;
  }

  /** "mpegts" or "fmp4" (the setting's words), any case. */
  public static SegmentType parse(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "mpegts", "ts" -> MPEGTS;
      case "fmp4" -> FMP4;
      default -> throw new IllegalArgumentException("HLS segment type must be mpegts or fmp4, got '" + text + "'");
    };
  }
}
