package io.capstan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.app.wiring.ServiceCatalog;
import io.capstan.runtime.config.Setting;
import io.capstan.runtime.service.ServiceLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README and the deployment files are the operator's manual: they must name real settings,
 * and CI must run the README's test command.
 */
class ReadmeTest {

  private static final Path ROOT = Path.of("..");

  @Test
  void everySettingIsDocumented() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    List<Setting<?>> all = new ArrayList<>(ServiceLauncher.commonSettings());
    ServiceCatalog.all().forEach(e -> all.addAll(e.settings()));
    assertThat(all).allSatisfy(s -> assertThat(readme)
        .as("README documents " + s.name() + " (run scripts/readme-settings.py)").contains("`" + s.name() + "`"));
  }

  @Test
  void deploymentFilesSetOnlySettingsTheCodeReads() throws Exception {
    List<Setting<?>> all = new ArrayList<>(ServiceLauncher.commonSettings());
    ServiceCatalog.all().forEach(e -> all.addAll(e.settings()));
    java.util.Set<String> known = new java.util.HashSet<>();
    all.forEach(s -> known.add(s.environmentName()));
    known.add("CAPSTAN_JAVA_OPTS");
    for (String file : List.of("docker-compose.yml", "Dockerfile")) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("CAPSTAN_[A-Z0-9_]+")
          .matcher(Files.readString(ROOT.resolve(file)));
      while (m.find()) {
        String name = m.group();
        assertThat(known.contains(name) || name.startsWith("CAPSTAN_KAFKA_"))
            .as(file + " sets " + name + ", which no setting reads").isTrue();
      }
    }
  }

  @Test
  void theTwoCommandsOnTopAreTheDemoAndWhatCiRuns() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String firstBlock = readme.substring(readme.indexOf("```bash"), readme.indexOf("```", readme.indexOf("```bash") + 3));
    assertThat(firstBlock).contains("./capstan demo").contains("mvn -B verify");
    assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("mvn -B verify");
  }
}
