package io.capstan.storage.path;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Object keys under a bucket: {@code <fileNamePrefix joined by "/">/<fileName>}. The prefix rule is
 * the reference's (storageConfig.fileNamePrefix): each part letters and digits only, parts joined
 * by "/", the whole prefix at most 128 characters.
 */
public final class ObjectPaths {

  public static final int MAX_PREFIX_CHARS = 128;
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9]+");

  private ObjectPaths() {
  }

  /** The joined prefix ("" when there is none). */
  public static String prefix(List<String> parts) {
    if (parts == null || parts.isEmpty()) {
      return "";
    }
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      if (part == null || !PART.matcher(part).matches()) {
        throw new InvalidPathException("fileNamePrefix[" + i + "] must be letters and digits only, got '"
            + part + "'");
      }
    }
    String joined = String.join("/", parts);
    if (joined.length() > MAX_PREFIX_CHARS) {
      throw new InvalidPathException("fileNamePrefix joined by '/' is " + joined.length()
          + " characters; at most " + MAX_PREFIX_CHARS + " are allowed");
    }
    return joined;
  }

  /** The key of {@code fileName} under {@code prefix parts}. */
  public static String key(List<String> prefixParts, String fileName) {
    requireFileName(fileName);
    String prefix = prefix(prefixParts);
    return prefix.isEmpty() ? fileName : prefix + "/" + fileName;
  }

  /** A file name is one path element that {@link SafePaths} accepts: no separators, not "." or "..". */
  public static void requireFileName(String fileName) {
    if (fileName == null || fileName.contains("/") || SafePaths.problem(fileName) != null) {
      throw new InvalidPathException("'" + fileName + "' is not a valid file name");
    }
  }
}
