package io.capstan.app.cli;

import io.capstan.runtime.config.Config;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** How a command reaches Kafka and where extra settings come from. */
public final class KafkaOptions {

  @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: localhost:9092, or kafka.bootstrap.servers of --config)")
  String bootstrap;

  @Option(names = "--config", description = "a properties file of settings (kafka.* pass to the Kafka clients)")
  Path configFile;

  @Option(names = "--set", description = "a setting as name=value; repeatable")
  Map<String, String> settings = new LinkedHashMap<>();

  /** The file, then the environment, then --set, then --bootstrap. */
  public Config config() {
    Map<String, String> overrides = new LinkedHashMap<>(settings);
    if (bootstrap != null) {
      overrides.put(Config.BOOTSTRAP.name(), bootstrap);
    }
    return Config.load(configFile, System.getenv(), overrides);
  }
}
