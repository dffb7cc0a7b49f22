package io.capstan.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands tests a real broker's bootstrap address: declare a
 * {@code @Bootstrap String bootstrap} parameter and annotate the class with
 * {@code @ExtendWith(KafkaBroker.class)}. One broker serves every test class of a test JVM
 * (started on first use, stopped at exit); tests keep apart by using their own job ids.
 *
 * <p>With {@code -Dcapstan.test.bootstrap=host:port} (or {@code CAPSTAN_TEST_BOOTSTRAP}) the tests
 * run against that cluster instead, for example a Testcontainers or CI-provided Kafka where a
 * Docker engine exists.
 */
public final class KafkaBroker implements ParameterResolver {

  private static EmbeddedKafka shared;
  private static String bootstrap;

  public static synchronized String bootstrap() {
    if (bootstrap == null) {
      String external = System.getProperty("capstan.test.bootstrap", System.getenv("CAPSTAN_TEST_BOOTSTRAP"));
      if (external != null && !external.isBlank()) {
        bootstrap = external;
      } else {
        try {
          Path dir = Files.createTempDirectory("capstan-test-kafka");
          shared = new EmbeddedKafka(dir, 0).start();
          bootstrap = shared.bootstrapServers();
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shared.close();
            deleteQuietly(dir);
          }, "test-kafka-stop"));
        } catch (Exception e) {
          throw new IllegalStateException("cannot start the test broker", e);
        }
      }
    }
    return bootstrap;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == String.class && parameter.isAnnotated(Bootstrap.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return bootstrap();
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // best effort: a temp directory
    }
  }
}
