package io.capstan.runtime.spec;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Names that become part of stored file names (cname, uids): the hosted product's channel-name
 * characters, which every store and file system can hold. A name outside them is refused at start
 * rather than found out when the first file is uploaded and the recording is already lost.
 */
final class StorageNames {

  /** Letters, digits, space and {@code !#$%&()+-:;<=.>?@[]^_{|}~,}: no slash, backslash or control character. */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9 !#$%&()+\\-:;<=.>?@\\[\\]^_{|}~,]+");
  static final int MAX_BYTES = 255;

  private StorageNames() {
  }

  static void check(String field, String name) throws JobSpecValidator.Invalid {
    if (name == null || name.isEmpty()) {
      return;
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new JobSpecValidator.Invalid(field, "must be at most " + MAX_BYTES + " bytes");
    }
    if (!SAFE.matcher(name).matches()) {
      throw new JobSpecValidator.Invalid(field, "only letters, digits, spaces and !#$%&()+-:;<=.>?@[]^_{|}~, are "
          + "allowed (it becomes part of the stored file names), got '" + printable(name) + "'");
    }
    if (name.equals(".") || name.equals("..")) {
      throw new JobSpecValidator.Invalid(field, "'" + name + "' cannot be part of a file name");
    }
  }

  private static String printable(String name) {
    StringBuilder out = new StringBuilder();
    name.codePoints().limit(64).forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}
