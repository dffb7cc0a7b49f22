package io.capstan.app.cli;

import ch.qos.logback.classic.Level;
import io.capstan.app.demo.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Record a composite of three generated sources through the whole pipeline:",
        "embedded Kafka, every service, local storage, webhooks printed as they arrive."})
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--seconds", defaultValue = "20", description = "how long to record (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--output", defaultValue = "demo-output", description = "where recordings go (default: ${DEFAULT-VALUE})")
  Path output;

  @Option(names = "--verbose", description = "show the services' logs")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (seconds < 1) {
      throw new IllegalArgumentException("--seconds must be at least 1");
    }
    if (!verbose) {
      // The demo's own lines tell the story; the broker's start-up chatter would bury them.
      level(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.WARN);
      for (String noisy : new String[] {"org.apache.kafka", "kafka", "state.change.logger", "io.capstan.gateway"}) {
        level(noisy, Level.ERROR);
      }
    }
    Demo.Result result = new Demo(output, Duration.ofSeconds(seconds), System.out, null).run();
    if (!result.sessionExited()) {
      System.err.println("capstan demo: the recording did not finish in time (no session_exit event)");
      return 1;
    }
    if (!Files.exists(result.playlist()) || !Files.readString(result.playlist()).contains("#EXT-X-ENDLIST")) {
      System.err.println("capstan demo: no complete playlist at " + result.playlist());
      return 1;
    }
    System.out.println();
    System.out.println("recording " + result.sid() + " is complete:");
    try (var files = Files.list(result.storageDir())) {
      files.filter(p -> p.getFileName().toString().startsWith(result.sid())).sorted()
          .forEach(p -> System.out.println("  " + p));
    }
    System.out.println("play it:  ffplay " + result.playlist());
    return 0;
  }

  private static void level(String logger, Level level) {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger)).setLevel(level);
  }
}
