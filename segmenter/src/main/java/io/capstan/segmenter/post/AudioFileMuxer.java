package io.capstan.segmenter.post;

import io.capstan.schemas.TrackConfig;
import io.capstan.segmenter.mux.MemoryMuxer;
import io.capstan.segmenter.mux.Mp4Muxer;
import java.util.Map;

/**
 * One audio file in memory: mp3 (MPEG audio frames as they are), m4a (AAC in a fragmented
 * iPod-flavoured MP4: forward-only, like the MP4 files) or aac (ADTS frames).
 */
public final class AudioFileMuxer extends MemoryMuxer {

  private AudioFileMuxer(String format, Map<String, String> options, TrackConfig audio) {
    super(format, options, null, audio);
  }

  public static AudioFileMuxer of(String format, TrackConfig audio) {
    return switch (format) {
      // No Xing header: the muxer would have to seek back to fill it in; players use the CBR frames.
      case "mp3" -> new AudioFileMuxer("mp3", Map.of("write_xing", "0", "id3v2_version", "0"), audio);
      case "m4a" -> new AudioFileMuxer("ipod", Map.of("movflags", Mp4Muxer.MOVFLAGS, "frag_duration", "2000000"),
          audio);
      case "aac" -> new AudioFileMuxer("adts", Map.of(), audio);
      default -> throw new IllegalArgumentException("audio format '" + format + "' is not mp3, m4a or aac");
    };
  }
}
