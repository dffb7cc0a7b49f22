package io.capstan.runtime.config;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * One named setting: its default, a one-line description, how to parse it, and whether it is a
 * secret (masked wherever settings are printed).
 */
public record Setting<T>(String name, T defaultValue, String description, boolean secret, Function<String, T> parser) {

  public Setting {
    Objects.requireNonNull(name);
    Objects.requireNonNull(description);
    Objects.requireNonNull(parser);
  }

  public static Setting<String> string(String name, String defaultValue, String description) {
    return new Setting<>(name, defaultValue, description, false, s -> s);
  }

  public static Setting<String> secret(String name, String description) {
    return new Setting<>(name, null, description, true, s -> s);
  }

  public static Setting<Integer> integer(String name, int defaultValue, String description) {
    return new Setting<>(name, defaultValue, description, false, Integer::valueOf);
  }

  public static Setting<Long> longValue(String name, long defaultValue, String description) {
    return new Setting<>(name, defaultValue, description, false, Long::valueOf);
  }

  public static Setting<Boolean> bool(String name, boolean defaultValue, String description) {
    return new Setting<>(name, defaultValue, description, false, Setting::parseBoolean);
  }

  /** Durations as ISO-8601 (PT30S) or a number with a unit: 500ms, 30s, 5m, 24h. */
  public static Setting<Duration> duration(String name, Duration defaultValue, String description) {
    return new Setting<>(name, defaultValue, description, false, Setting::parseDuration);
  }

  /** The environment variable that sets it: {@code ingest.max.jobs} is {@code CAPSTAN_INGEST_MAX_JOBS}. */
  public String environmentName() {
    return "CAPSTAN_" + name.toUpperCase().replace('.', '_').replace('-', '_');
  }

  static boolean parseBoolean(String value) {
    return switch (value.trim().toLowerCase()) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new IllegalArgumentException("expected true or false, got '" + value + "'");
    };
  }

  static Duration parseDuration(String value) {
    String v = value.trim().toLowerCase();
    if (v.startsWith("p")) {
      return Duration.parse(value.trim().toUpperCase());
    }
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
    }
    long amount = Long.parseLong(v.substring(0, v.length() - 1).trim());
    return switch (v.charAt(v.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      default -> throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m or 24h, got '" + value + "'");
    };
  }
}
