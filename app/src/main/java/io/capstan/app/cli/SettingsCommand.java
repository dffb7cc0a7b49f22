package io.capstan.app.cli;

import io.capstan.app.wiring.ServiceCatalog;
import io.capstan.runtime.config.Setting;
import io.capstan.runtime.service.ServiceLauncher;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Every setting each service reads, with its default, environment variable and meaning. */
@Command(name = "settings", mixinStandardHelpOptions = true,
    description = "List every setting: name, environment variable, default, meaning.")
public final class SettingsCommand implements Callable<Integer> {

  @Option(names = "--markdown", description = "print Markdown tables (as in the README)")
  boolean markdown;

  @Option(names = "--service", description = "only this service's settings (common: the shared ones)")
  String service;

  @Override
  public Integer call() {
    if (service == null || service.equals("common")) {
      print("common", ServiceLauncher.commonSettings());
    }
    for (ServiceCatalog.Entry entry : ServiceCatalog.all()) {
      if (service == null || service.equals(entry.name())) {
        print(entry.name(), entry.settings());
      }
    }
    return 0;
  }

  private void print(String name, List<Setting<?>> settings) {
    if (markdown) {
      System.out.println("| setting (environment variable) | default | meaning |");
      System.out.println("| --- | --- | --- |");
      for (Setting<?> s : settings) {
        System.out.println("| `" + s.name() + "` (`" + s.environmentName() + "`) | " + defaultOf(s) + " | "
            + s.description().replace("|", "\\|") + " |");
      }
      System.out.println();
      return;
    }
    System.out.println("# " + name);
    for (Setting<?> s : settings) {
      System.out.printf("%-36s %-40s %s%n  %s%n", s.name(), s.environmentName(),
          defaultOf(s).replace("`", ""), s.description());
    }
  }

  private static String defaultOf(Setting<?> s) {
    if (s.secret()) {
      return "(secret)";
    }
    Object value = s.defaultValue();
    if (value instanceof java.time.Duration d) {
      value = d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() % 3600 == 0 && d.toSeconds() > 0
          ? d.toHours() + "h" : d.toSeconds() + "s";
    }
    return value == null || value.toString().isEmpty() ? "—" : "`" + value + "`";
  }
}
