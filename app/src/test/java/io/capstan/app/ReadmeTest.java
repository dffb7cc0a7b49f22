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

/** The README is the operator's manual: it must name every setting, and CI must run its test command. */
class ReadmeTest {

  private static final Path ROOT = Path.of("..");

  @Test
  void everySettingIsDocumented() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    List<Setting<?>> all = new ArrayList<>(ServiceLauncher.commonSettings());
    ServiceCatalog.all().forEach(e -> all.addAll(e.settings()));
    assertThat(all).allSatisfy(s -> assertThat(readme).as("README documents " + s.name())
        .contains("`" + s.name() + "`"));
  }

  @Test
  void theTwoCommandsOnTopAreTheDemoAndWhatCiRuns() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String firstBlock = readme.substring(readme.indexOf("```bash"), readme.indexOf("```", readme.indexOf("```bash") + 3));
    assertThat(firstBlock).contains("./capstan demo").contains("mvn -B verify");
    assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("mvn -B verify");
  }
}
