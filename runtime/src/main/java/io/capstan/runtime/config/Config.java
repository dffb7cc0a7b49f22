package io.capstan.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Configuration read once at start: a properties file, then environment variables, then explicit
 * overrides (command-line flags), later sources winning. Settings under {@code kafka.} pass
 * unchanged to every Kafka client ({@code kafka.security.protocol=SASL_SSL} becomes
 * {@code security.protocol}), so TLS and SASL work as in any Kafka client.
 */
public final class Config {

  public static final String KAFKA_PREFIX = "kafka.";
  public static final Setting<String> BOOTSTRAP = Setting.string("kafka.bootstrap.servers", "localhost:9092",
      "Kafka bootstrap servers");

  private final Map<String, String> values;

  private Config(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static Config of(Map<String, String> values) {
    return new Config(values);
  }

  /** Reads {@code file} (may be null), the environment, then {@code overrides}. */
  public static Config load(Path file, Map<String, String> environment, Map<String, String> overrides) {
    Map<String, String> values = new LinkedHashMap<>();
    if (file != null) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new ConfigException("cannot read the configuration file " + file + ": " + e.getMessage());
      }
      properties.forEach((k, v) -> values.put(k.toString(), v.toString().trim()));
    }
    environment.forEach((k, v) -> {
      if (k.startsWith("CAPSTAN_") && !k.equals("CAPSTAN_CONFIG")) {
        values.put(k.substring("CAPSTAN_".length()).toLowerCase().replace('_', '.'), v);
      }
    });
    values.putAll(overrides);
    return new Config(values);
  }

  public Config with(Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(values);
    merged.putAll(overrides);
    return new Config(merged);
  }

  public <T> T get(Setting<T> setting) {
    String raw = values.get(setting.name());
    if (raw == null || raw.isEmpty()) {
      return setting.defaultValue();
    }
    try {
      return setting.parser().apply(raw);
    } catch (RuntimeException e) {
      throw new ConfigException(setting.name() + " (" + setting.environmentName() + "): cannot use '"
          + (setting.secret() ? "****" : raw) + "': " + e.getMessage());
    }
  }

  public String raw(String name) {
    return values.get(name);
  }

  /** Kafka client settings, without the {@code kafka.} prefix. */
  public Map<String, Object> kafka() {
    Map<String, Object> kafka = new TreeMap<>();
    kafka.put("bootstrap.servers", get(BOOTSTRAP));
    values.forEach((k, v) -> {
      if (k.startsWith(KAFKA_PREFIX)) {
        kafka.put(k.substring(KAFKA_PREFIX.length()), v);
      }
    });
    return kafka;
  }

  /**
   * One line per setting with its effective value, secrets and Kafka credentials masked, and URL
   * credentials masked in every other value (a webhook URL with a token in its query).
   */
  public String describe(Collection<Setting<?>> settings) {
    Map<String, String> lines = new TreeMap<>();
    for (Setting<?> s : settings) {
      Object value = get(s);
      lines.put(s.name(), s.secret() && value != null ? "****" : Secrets.redactUrl(String.valueOf(value)));
    }
    kafka().forEach((k, v) -> lines.put(KAFKA_PREFIX + k, Secrets.looksSecret(k) ? "****" : String.valueOf(v)));
    return lines.entrySet().stream().map(e -> "  " + e.getKey() + " = " + e.getValue())
        .collect(Collectors.joining("\n"));
  }
}
