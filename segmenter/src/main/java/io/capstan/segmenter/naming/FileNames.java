package io.capstan.segmenter.naming;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The reference's file names (agora-cloud-recording.md, "File names"), without the storage
 * prefix. {@code <utc>} is the UTC start of the file as {@code yyyyMMddHHmmssSSS}, always in the
 * UTC time zone whatever the machine's zone is.
 */
public final class FileNames {

  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS")
      .withZone(ZoneOffset.UTC);

  private FileNames() {
  }

  public static String utc(long utcMs) {
    return UTC.format(Instant.ofEpochMilli(utcMs));
  }

  /** {@code <sid>_<cname>.m3u8}, also the web playlist. */
  public static String compositePlaylist(String sid, String cname) {
    return base(sid, cname) + ".m3u8";
  }

  /** {@code <sid>_<cname>_<utc>.ts}. */
  public static String compositeSlice(String sid, String cname, long utcMs) {
    return base(sid, cname) + "_" + utc(utcMs) + ".ts";
  }

  /** {@code <sid>_<cname>_<utc>_<n>.mp4}, n counting the split files from 0. */
  public static String compositeMp4(String sid, String cname, long utcMs, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("the mp4 index counts from 0, got " + n);
    }
    return base(sid, cname) + "_" + utc(utcMs) + "_" + n + ".mp4";
  }

  /** {@code <sid>_<cname>_<n>.mp4}: a web recording's MP4 files (n counts the split files from 0). */
  public static String webMp4(String sid, String cname, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("the mp4 index counts from 0, got " + n);
    }
    return base(sid, webCname(cname)) + "_" + n + ".mp4";
  }

  /**
   * A web recording's cname as its file names carry it: characters that are unsafe in a file name
   * become {@code -} (the reference's rule). Letters, digits, '.', '_' and '-' stay.
   */
  public static String webCname(String cname) {
    requireText(cname, "cname");
    StringBuilder out = new StringBuilder(cname.length());
    cname.codePoints().forEach(c -> out.append(fileSafe(c) ? Character.toString(c) : "-"));
    return out.toString();
  }

  private static boolean fileSafe(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
        || c == '-';
  }

  /** {@code <sid>_<cname>__uid_s_<uid>__uid_e_<type>.m3u8}. */
  public static String individualPlaylist(String sid, String cname, String uid, TrackSet type) {
    return individualBase(sid, cname, uid) + type.nameToken() + ".m3u8";
  }

  /** {@code <sid>_<cname>__uid_s_<uid>__uid_e_<type>_<utc>.ts}. */
  public static String individualSlice(String sid, String cname, String uid, TrackSet type, long utcMs) {
    return individualBase(sid, cname, uid) + type.nameToken() + "_" + utc(utcMs) + ".ts";
  }

  /** Postponed transcoding: {@code <sid>_<cname>__uid_s_<uid>__uid_e_av_<utc>.mp4}, utc the session's start. */
  public static String postponedMp4(String sid, String cname, String uid, long utcMs) {
    return individualBase(sid, cname, uid) + TrackSet.AV.nameToken() + "_" + utc(utcMs) + ".mp4";
  }

  /** {@code <sid>_<cname>__uid_s_<uid>__uid_e_video_<utc>.jpg}. */
  public static String snapshot(String sid, String cname, String uid, long utcMs) {
    return individualBase(sid, cname, uid) + "video_" + utc(utcMs) + ".jpg";
  }

  private static String base(String sid, String cname) {
    requireText(sid, "sid");
    requireText(cname, "cname");
    return sid + "_" + cname;
  }

  private static String individualBase(String sid, String cname, String uid) {
    requireText(uid, "uid");
    return base(sid, cname) + "__uid_s_" + uid + "__uid_e_";
  }

  private static void requireText(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
  }
}
