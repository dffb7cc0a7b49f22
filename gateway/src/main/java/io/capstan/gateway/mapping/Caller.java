package io.capstan.gateway.mapping;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The {@code cname} and {@code uid} every request body starts with: the channel and the
 * recorder's own uid in it (a string of digits, not a participant).
 */
public record Caller(String cname, String uid) {

  /** The hosted product's channel name characters (letters, digits, space and these marks), at most 64 bytes. */
  private static final Pattern CNAME = Pattern.compile("[A-Za-z0-9 !#$%&()+\\-:;<=.>?@\\[\\]^_{|}~,]+");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,10}");

  /** Reads only cname and uid of a request body (whose other fields are checked later). */
  public static Caller of(com.fasterxml.jackson.databind.JsonNode body) {
    return read(Obj.of(body, ""));
  }

  static Caller read(Obj body) {
    String cname = body.requiredString("cname");
    if (cname.getBytes(StandardCharsets.UTF_8).length > 64) {
      throw body.invalid("cname", "at most 64 bytes");
    }
    if (!CNAME.matcher(cname).matches()) {
      throw body.invalid("cname", "only letters, digits, spaces and !#$%&()+-:;<=.>?@[]^_{|}~, are allowed");
    }
    if (body.has("uid") && !body.raw("uid").isTextual()) {
      throw body.invalid("uid", "must be a string of digits, e.g. \"527841\"");
    }
    String uid = body.requiredString("uid");
    if (!DIGITS.matcher(uid).matches() || Long.parseLong(uid) < 1 || Long.parseLong(uid) > 4294967295L) {
      throw body.invalid("uid", "must be a string of digits between 1 and 4294967295, got '" + uid + "'");
    }
    return new Caller(cname, uid);
  }
}
