package io.capstan.gateway.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSON object being validated: typed reads that name the field's full path when they fail, and
 * a final {@link #noteUnknown()} that collects the fields nobody read. Unknown fields are accepted,
 * not refused: real clients send fields Capstan does not know (the official Java client sends
 * {@code regionAffinity}, newer API versions add fields), and a 400 for them breaks working
 * applications. The body's root answers {@link #unknownFields()} so the caller can count and log
 * them. JSON {@code null} counts as absent.
 */
final class Obj {

  static {
    // The mappers build Capstan records whose defaults hold other generated records: Avro must trust them.
    io.capstan.schemas.serde.AvroTrust.install();
  }

  private static final Pattern INDEX = Pattern.compile("\\[[0-9]+]");

  private final JsonNode node;
  private final String path;
  private final Set<String> seen = new HashSet<>();
  /** The unknown fields of the whole body, shared by every object read from it. */
  private final Set<String> unknown;

  private Obj(JsonNode node, String path, Set<String> unknown) {
    this.node = node;
    this.path = path;
    this.unknown = unknown;
  }

  /** The root of a body (or of a part read on its own). */
  static Obj of(JsonNode node, String path) {
    return of(node, path, new LinkedHashSet<>());
  }

  private static Obj of(JsonNode node, String path, Set<String> unknown) {
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException(path.isEmpty() ? "body" : path, "must be a JSON object");
    }
    return new Obj(node, path, unknown);
  }

  String path() {
    return path;
  }

  String path(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  InvalidRequestException invalid(String name, String problem) {
    return new InvalidRequestException(path(name), problem);
  }

  boolean has(String name) {
    JsonNode n = node.get(name);
    return n != null && !n.isNull();
  }

  JsonNode raw(String name) {
    seen.add(name);
    JsonNode n = node.get(name);
    return n == null || n.isNull() ? null : n;
  }

  /**
   * Which of two spellings of one field the body uses ({@code x_axis} and {@code xaxis}: the
   * official Java client sends both). Both may be given when they agree; the preferred one is
   * returned then, and when neither is given.
   */
  String spelling(String preferred, String alias) {
    seen.add(preferred);
    seen.add(alias);
    boolean hasPreferred = has(preferred);
    boolean hasAlias = has(alias);
    if (hasPreferred && hasAlias && !same(node.get(preferred), node.get(alias))) {
      throw invalid(alias, "must equal " + preferred + " when both are given");
    }
    return hasAlias && !hasPreferred ? alias : preferred;
  }

  private static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.doubleValue() == b.doubleValue();
    }
    return a.equals(b);
  }

  /** Accepted and deliberately not used (e.g. {@code token}: Capstan has no channel tokens). */
  void ignore(String... names) {
    seen.addAll(List.of(names));
  }

  /**
   * Notes the fields of this object that were not read: accepted and ignored. Paths lose their
   * array indices ({@code clientRequest.layoutConfig[].foo}), so one name stands for every entry.
   */
  void noteUnknown() {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!seen.contains(name)) {
        unknown.add(INDEX.matcher(path(name)).replaceAll("[]"));
      }
    }
  }

  /** The unknown fields noted so far anywhere in this body, in the order met. */
  List<String> unknownFields() {
    return List.copyOf(unknown);
  }

  String requiredString(String name) {
    JsonNode n = raw(name);
    String value = string(name);
    if (value == null) {
      throw invalid(name, n == null ? "missing" : "must not be empty");
    }
    return value;
  }

  /**
   * A string, or null when absent. An empty string counts as absent: clients of the hosted product
   * often send {@code ""} for optional fields they do not use ({@code "token": ""}).
   */
  String string(String name) {
    JsonNode n = raw(name);
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      throw invalid(name, "must be a string");
    }
    return n.textValue().isEmpty() ? null : n.textValue();
  }

  int integer(String name, int defaultValue, long min, long max) {
    Integer value = integer(name, min, max);
    return value == null ? defaultValue : value;
  }

  Integer integer(String name, long min, long max) {
    JsonNode n = raw(name);
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw invalid(name, "must be an integer");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw invalid(name, "must be between " + min + " and " + max + ", got " + v);
    }
    return (int) v;
  }

  int requiredInteger(String name, long min, long max) {
    Integer value = integer(name, min, max);
    if (value == null) {
      throw invalid(name, "missing");
    }
    return value;
  }

  long longValue(String name, long defaultValue, long min, long max) {
    JsonNode n = raw(name);
    if (n == null) {
      return defaultValue;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw invalid(name, "must be an integer");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw invalid(name, "must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  Double number(String name, double min, double max) {
    JsonNode n = raw(name);
    if (n == null) {
      return null;
    }
    if (!n.isNumber()) {
      throw invalid(name, "must be a number");
    }
    double v = n.doubleValue();
    if (!(v >= min && v <= max)) {
      throw invalid(name, "must be between " + format(min) + " and " + format(max) + ", got " + n.asText());
    }
    return v;
  }

  double requiredNumber(String name, double min, double max) {
    Double value = number(name, min, max);
    if (value == null) {
      throw invalid(name, "missing");
    }
    return value;
  }

  Boolean bool(String name) {
    JsonNode n = raw(name);
    if (n == null) {
      return null;
    }
    if (!n.isBoolean()) {
      throw invalid(name, "must be true or false");
    }
    return n.booleanValue();
  }

  boolean bool(String name, boolean defaultValue) {
    Boolean value = bool(name);
    return value == null ? defaultValue : value;
  }

  Obj object(String name) {
    JsonNode n = raw(name);
    return n == null ? null : of(n, path(name), unknown);
  }

  Obj requiredObject(String name) {
    Obj o = object(name);
    if (o == null) {
      throw invalid(name, "missing");
    }
    return o;
  }

  /** An array of JSON objects, or null when absent. */
  List<Obj> objects(String name) {
    JsonNode n = array(name);
    if (n == null) {
      return null;
    }
    List<Obj> items = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      items.add(of(n.get(i), path(name) + "[" + i + "]", unknown));
    }
    return items;
  }

  /** An array of non-empty strings, or null when absent. */
  List<String> strings(String name) {
    JsonNode n = array(name);
    if (n == null) {
      return null;
    }
    List<String> items = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode item = n.get(i);
      if (!item.isTextual() || item.textValue().isEmpty()) {
        throw new InvalidRequestException(path(name) + "[" + i + "]", "must be a non-empty string");
      }
      items.add(item.textValue());
    }
    return items;
  }

  List<Integer> integers(String name) {
    JsonNode n = array(name);
    if (n == null) {
      return null;
    }
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode item = n.get(i);
      if (!item.isIntegralNumber() || !item.canConvertToInt()) {
        throw new InvalidRequestException(path(name) + "[" + i + "]", "must be an integer");
      }
      items.add(item.intValue());
    }
    return items;
  }

  private JsonNode array(String name) {
    JsonNode n = raw(name);
    if (n == null) {
      return null;
    }
    if (!n.isArray()) {
      throw invalid(name, "must be an array");
    }
    return n;
  }

  private static String format(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
