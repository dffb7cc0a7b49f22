package io.capstan.storage.path;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The one rule for turning a name read from storage (a playlist's slice or init segment, a listed
 * key, a key given to the local store) into a local file: the name must stay inside its folder. A
 * playlist is data anyone with write access to the bucket may have written, so its entries are
 * checked like user input before they name a file we write or a file FFmpeg reads.
 */
public final class SafePaths {

  /** A Windows drive ({@code C:x} is relative to drive C's current folder, not to ours). */
  private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:");
  /** A URI scheme ({@code file:}, {@code concat:}, {@code http:}): FFmpeg opens such an entry as a protocol. */
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  private SafePaths() {
  }

  /**
   * {@code dir} joined with {@code name}, a relative path of {@code /}-separated elements.
   *
   * @throws InvalidPathException naming {@code name} when it is empty, absolute, starts with a
   *     drive, has a backslash, a control character (NUL), an empty, {@code .} or {@code ..}
   *     element, or would otherwise resolve outside {@code dir}
   */
  public static Path resolveInside(Path dir, String name) {
    return resolve(dir, name, problem(name));
  }

  /**
   * The local file of a playlist entry (a slice or an init segment's URI, relative to its playlist)
   * copied into {@code dir}: as {@link #resolveInside}, and an entry with a URI scheme is refused
   * too, since FFmpeg would read the local playlist's copy of it as a URL, not as a file beside it.
   */
  public static Path playlistEntry(Path dir, String uri) {
    String why = uri != null && SCHEME.matcher(uri).find() && !DRIVE.matcher(uri).find()
        ? "it starts with a URI scheme" : problem(uri);
    return resolve(dir, uri, why);
  }

  private static Path resolve(Path dir, String name, String why) {
    if (why != null) {
      throw new InvalidPathException("'" + printable(name) + "' cannot name a file: " + why);
    }
    Path base = dir.toAbsolutePath().normalize();
    Path target = base.resolve(name).normalize();
    if (!target.startsWith(base) || target.equals(base)) {
      throw new InvalidPathException("'" + printable(name) + "' cannot name a file: it leaves its folder");
    }
    return target;
  }

  /** What is wrong with {@code name} as a relative path inside a folder, or null when nothing is. */
  static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "it is empty";
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return "it has a control character";
      }
    }
    if (name.indexOf('\\') >= 0) {
      return "it has a backslash";
    }
    if (name.startsWith("/")) {
      return "it is absolute";
    }
    if (DRIVE.matcher(name).find()) {
      return "it starts with a drive";
    }
    for (String element : name.split("/", -1)) {
      if (element.isEmpty() || element.equals(".") || element.equals("..")) {
        return "it has an empty, '.' or '..' element";
      }
    }
    return null;
  }

  /** The name as it may be shown in a message: control characters as \\uXXXX, at most 200 characters. */
  private static String printable(String name) {
    if (name == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    for (; i < name.length() && i < 200; i++) {
      char c = name.charAt(i);
      out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return i < name.length() ? out + "..." : out.toString();
  }
}
