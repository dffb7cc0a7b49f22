package io.capstan.ingest.web;

/**
 * The web recording's playlist name as the segmenter writes it ({@code <sid>_<cname>.m3u8}, the
 * cname's characters that are unsafe in a file name replaced by {@code -}), for event 71's
 * fileList. The same rule as the segmenter's {@code FileNames.webCname}; both follow the reference.
 */
public final class WebFileNames {

  private WebFileNames() {
  }

  /** Letters, digits, '.', '_' and '-' stay; anything else (/, \, :, space, %, ...) becomes '-'. */
  public static String safeCname(String cname) {
    StringBuilder out = new StringBuilder(cname.length());
    cname.codePoints().forEach(c -> out.append(safe(c) ? Character.toString(c) : "-"));
    return out.toString();
  }

  public static String playlist(String sid, String cname) {
    return sid + "_" + safeCname(cname) + ".m3u8";
  }

  private static boolean safe(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
        || c == '-';
  }
}
