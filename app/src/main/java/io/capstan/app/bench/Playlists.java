package io.capstan.app.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the HLS media playlists a run left behind: Capstan's in storage, FFmpeg's in its output folder. */
public final class Playlists {

  /** One slice: its file, EXTINF duration and PROGRAM-DATE-TIME (0 when the playlist has none). */
  public record Entry(String uri, long durationUs, long programDateTimeMs) {
  }

  /** ISO 8601 with the offset as Capstan writes it (Z, +01:00) or as FFmpeg's HLS muxer does (+0000). */
  private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendPattern("[XXX][XX]").toFormatter();

  private Playlists() {
  }

  public static List<Entry> parse(String text) {
    List<Entry> entries = new ArrayList<>();
    long durationUs = -1;
    long dateTimeMs = 0;
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
        dateTimeMs = OffsetDateTime.parse(line.substring("#EXT-X-PROGRAM-DATE-TIME:".length()), DATE_TIME)
            .toInstant().toEpochMilli();
      } else if (line.startsWith("#EXTINF:")) {
        String value = line.substring("#EXTINF:".length());
        int comma = value.indexOf(',');
        durationUs = new BigDecimal(comma < 0 ? value : value.substring(0, comma)).movePointRight(6).longValue();
      } else if (!line.isEmpty() && !line.startsWith("#") && durationUs >= 0) {
        entries.add(new Entry(line, durationUs, dateTimeMs));
        durationUs = -1;
        dateTimeMs = 0;
      }
    }
    return entries;
  }

  /** The playlists in {@code dir} whose names start with {@code prefix}. */
  public static List<Path> find(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)
          && p.getFileName().toString().endsWith(".m3u8")).sorted().toList();
    }
  }

  public static double seconds(Path playlist) throws IOException {
    return parse(Files.readString(playlist)).stream().mapToLong(Entry::durationUs).sum() / 1e6;
  }

  /**
   * A recording's length: its longest playlist (a composite has one; an individual recording one
   * per uid and track, all as long as the media). 0 when there is none.
   */
  public static double recordingSeconds(Path dir, String prefix) throws IOException {
    double longest = 0;
    for (Path p : find(dir, prefix)) {
      longest = Math.max(longest, seconds(p));
    }
    return longest;
  }

  public static boolean ended(Path playlist) throws IOException {
    return Files.readString(playlist).contains("#EXT-X-ENDLIST");
  }
}
