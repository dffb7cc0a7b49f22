package io.capstan.storage;

import java.util.Locale;

/** The Content-Type of a recording file, by its extension, so players and CDNs serve it right. */
public final class ContentTypes {

  private ContentTypes() {
  }

  public static String of(String key) {
    String name = key.toLowerCase(Locale.ROOT);
    if (name.endsWith(".m3u8")) {
      return "application/vnd.apple.mpegurl";
    } else if (name.endsWith(".ts")) {
      return "video/mp2t";
    } else if (name.endsWith(".mp4")) {
      return "video/mp4";
    } else if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
      return "image/jpeg";
    } else if (name.endsWith(".m4a")) {
      return "audio/mp4";
    }
    return "application/octet-stream";
  }
}
