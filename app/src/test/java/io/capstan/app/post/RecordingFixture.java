package io.capstan.app.post;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.runtime.media.Natives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A finished recording's files as the segmenter writes them, made with the bundled ffmpeg: MPEG-TS
 * slices whose timestamps are the job timeline, playlists with their UTC starts, the reference's names.
 */
final class RecordingFixture {

  static final long STARTED = 1_790_000_000_000L;
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS")
      .withZone(ZoneOffset.UTC);

  private RecordingFixture() {
  }

  /** Slices of one stream: {start, length} seconds on the job timeline. */
  static String slices(Path dir, String base, String type, String colour, int hz, double[][] slices) throws Exception {
    StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
        + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:EVENT\n");
    double previousEnd = -1;
    List<String> names = new ArrayList<>();
    for (double[] s : slices) {
      String name = base + "_" + UTC.format(Instant.ofEpochMilli(STARTED + Math.round(s[0] * 1000))) + ".ts";
      slice(dir.resolve(name), type, colour, hz, s[0], s[1]);
      if (previousEnd >= 0 && Math.abs(previousEnd - s[0]) > 0.01) {
        playlist.append("#EXT-X-DISCONTINUITY\n");
      }
      playlist.append("#EXT-X-PROGRAM-DATE-TIME:").append(Instant.ofEpochMilli(STARTED + Math.round(s[0] * 1000)))
          .append('\n').append(String.format(Locale.ROOT, "#EXTINF:%.3f,%n", s[1])).append(name).append('\n');
      previousEnd = s[0] + s[1];
      names.add(name);
    }
    playlist.append("#EXT-X-ENDLIST\n");
    Files.writeString(dir.resolve(base + ".m3u8"), playlist);
    return names.get(0);
  }

  /** One uid of an individual recording (streamMode default): its video and audio playlists. */
  static void uid(Path dir, String sid, String cname, String uid, String colour, int hz, double[][] slices)
      throws Exception {
    for (String type : List.of("video", "audio")) {
      slices(dir, sid + "_" + cname + "__uid_s_" + uid + "__uid_e_" + type, type, colour, hz, slices);
    }
  }

  /** An MPEG-TS slice whose timestamps start at {@code start} seconds. type: video, audio or av. */
  static void slice(Path file, String type, String colour, int hz, double start, double length) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Natives.ffmpegExecutable(), "-v", "error", "-y"));
    if (!type.equals("audio")) {
      cmd.addAll(List.of("-f", "lavfi", "-i", "color=c=" + colour + ":size=320x240:rate=15:duration=" + length));
    }
    if (!type.equals("video")) {
      cmd.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=" + hz + ":sample_rate=48000:duration=" + length));
    }
    if (!type.equals("audio")) {
      cmd.addAll(List.of("-c:v", "libx264", "-g", "15", "-bf", "0", "-pix_fmt", "yuv420p"));
    }
    if (!type.equals("video")) {
      cmd.addAll(List.of("-c:a", "aac"));
    }
    cmd.addAll(List.of("-output_ts_offset", String.valueOf(start), "-muxdelay", "0", "-muxpreload", "0",
        "-f", "mpegts", file.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }
}
