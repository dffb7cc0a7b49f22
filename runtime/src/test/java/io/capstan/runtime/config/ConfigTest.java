package io.capstan.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

  private static final Setting<Integer> MAX_JOBS = Setting.integer("ingest.max.jobs", 50, "most jobs per instance");
  private static final Setting<Duration> WAIT = Setting.duration("mixer.jitter.buffer", Duration.ofMillis(500), "wait");
  private static final Setting<String> SECRET = Setting.secret("notifier.webhook.secret", "HMAC secret");

  @Test
  void fileThenEnvironmentThenOverridesWin(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("capstan.properties");
    Files.writeString(file, "ingest.max.jobs=10\nmixer.jitter.buffer=2s\nkafka.security.protocol=SSL\n");

    Config config = Config.load(file, Map.of("CAPSTAN_INGEST_MAX_JOBS", "20", "CAPSTAN_KAFKA_BOOTSTRAP_SERVERS", "k:9093"),
        Map.of("mixer.jitter.buffer", "750ms"));

    assertThat(config.get(MAX_JOBS)).isEqualTo(20);
    assertThat(config.get(WAIT)).isEqualTo(Duration.ofMillis(750));
    assertThat(config.kafka()).containsEntry("bootstrap.servers", "k:9093").containsEntry("security.protocol", "SSL");
  }

  @Test
  void defaultsApplyAndEnvironmentNamesAreDerived() {
    Config config = Config.of(Map.of());
    assertThat(config.get(MAX_JOBS)).isEqualTo(50);
    assertThat(config.kafka()).containsEntry("bootstrap.servers", "localhost:9092");
    assertThat(MAX_JOBS.environmentName()).isEqualTo("CAPSTAN_INGEST_MAX_JOBS");
  }

  @Test
  void aBadValueNamesTheSettingAndItsVariable() {
    Config config = Config.of(Map.of("ingest.max.jobs", "many"));
    assertThatThrownBy(() -> config.get(MAX_JOBS)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.max.jobs").hasMessageContaining("CAPSTAN_INGEST_MAX_JOBS")
        .hasMessageContaining("many");
  }

  @Test
  void describeMasksSecretsAndKafkaCredentials() {
    Config config = Config.of(Map.of("notifier.webhook.secret", "hunter2",
        "kafka.sasl.jaas.config", "PlainLoginModule required password=\"pw\";"));
    String described = config.describe(List.of(MAX_JOBS, SECRET));
    assertThat(described).contains("notifier.webhook.secret = ****").contains("kafka.sasl.jaas.config = ****")
        .contains("ingest.max.jobs = 50").doesNotContain("hunter2").doesNotContain("pw");
  }

  @Test
  void describeMasksCredentialsInUrlValues() {
    Setting<String> url = Setting.string("notifier.webhook.url", "", "webhook URLs");
    Config config = Config.of(Map.of("notifier.webhook.url", "https://u:p@h/y,https://hook.example/x?token=t0k3n"));
    assertThat(config.describe(List.of(url)))
        .contains("notifier.webhook.url = https://****@h/y,https://hook.example/x?token=****")
        .doesNotContain("t0k3n").doesNotContain("u:p");
  }
}
