package io.capstan.uploader.path;

import io.capstan.schemas.FileEntry;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job's fileList rebuilt from the names in its store (the reference's file names), for an
 * uploader that restarted and no longer remembers the playlists it stored: composite
 * {@code <sid>_<cname>.m3u8} and individual {@code <sid>_<cname>__uid_s_<uid>__uid_e_<type>.m3u8},
 * each with the UTC start of its first slice {@code <playlist base>_<yyyyMMddHHmmssSSS>.ts}.
 */
public final class FileLists {

  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");
  private static final Pattern INDIVIDUAL = Pattern.compile("__uid_s_(.+)__uid_e_(audio|video|av)");

  private FileLists() {
  }

  /** The playlists among {@code names} (file names without the storage prefix), sorted by name. */
  public static List<FileEntry> fromNames(String sid, String cname, Collection<String> names) {
    String base = sid + "_" + cname;
    List<FileEntry> entries = new ArrayList<>();
    names.stream().filter(n -> n.startsWith(base) && n.endsWith(".m3u8")).sorted().forEach(playlist -> {
      String stem = playlist.substring(0, playlist.length() - ".m3u8".length());
      String rest = stem.substring(base.length());
      String uid = "0";
      String trackType = "audio_and_video";
      boolean mixed = rest.isEmpty();
      if (!mixed) {
        Matcher m = INDIVIDUAL.matcher(rest);
        if (!m.matches()) {
          return;
        }
        uid = m.group(1);
        trackType = m.group(2).equals("av") ? "audio_and_video" : m.group(2);
      }
      entries.add(FileEntry.newBuilder().setFileName(playlist).setTrackType(trackType).setUid(uid)
          .setMixedAllUser(mixed).setIsPlayable(true).setSliceStartTime(firstSlice(stem, names)).build());
    });
    return entries;
  }

  private static long firstSlice(String stem, Collection<String> names) {
    long first = 0;
    for (String name : names) {
      if (name.startsWith(stem + "_") && name.endsWith(".ts")) {
        String utc = name.substring(stem.length() + 1, name.length() - ".ts".length());
        if (utc.length() == 17 && utc.chars().allMatch(Character::isDigit)) {
          try {
            long ms = LocalDateTime.parse(utc, UTC).toInstant(ZoneOffset.UTC).toEpochMilli();
            first = first == 0 ? ms : Math.min(first, ms);
          } catch (DateTimeParseException e) {
            // not a slice of this playlist
          }
        }
      }
    }
    return first;
  }
}
