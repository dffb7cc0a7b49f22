package io.capstan.app.cli;

import io.capstan.app.wiring.Deployment;
import io.capstan.app.wiring.ServiceCatalog;
import io.capstan.broker.EmbeddedKafka;
import io.capstan.notifier.delivery.DestinationPolicy;
import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code capstan serve}: the one-machine deployment, or chosen services against a cluster. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run Capstan's services in this process until SIGTERM.",
        "With --embedded: a Kafka broker too, every service, the REST gateway and local storage (vendor 99)."})
public final class ServeCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Option(names = "--embedded", description = "start an embedded Kafka broker and every service")
  boolean embedded;

  @Option(names = "--services", description = "comma-separated services to run (default: all): ingest,mixer,segmenter,uploader,notifier,gateway")
  String services;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port: REST API, /health, /ready, /metrics (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "embedded broker's port (default: ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(names = "--data-dir", defaultValue = ".capstan", description = "embedded broker's data (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--storage-dir", description = "root of local storage, vendor 99 (default: the setting "
      + "uploader.local.root, else ./recordings)")
  Path storageDir;

  @Option(names = "--auth", description = "REST credentials as KEY:SECRET (HTTP Basic); none when absent")
  String auth;

  @Option(names = "--webhook", description = "a webhook URL that receives every recording's events")
  String webhook;

  @Option(names = "--webhook-secret", description = "HMAC secret for --webhook's signatures")
  String webhookSecret;

  @Option(names = "--allow-private-webhooks", description = "allow webhook URLs on loopback and private addresses")
  boolean allowPrivateWebhooks;

  @Option(names = "--allow-private-addresses", description = "let REST callers name loopback and private addresses "
      + "(sources, images, storage endpoints, pages, webhooks): for trials on one machine")
  boolean allowPrivateAddresses;

  @Mixin
  KafkaOptions kafka;

  private static final String LOCAL_ROOT = "uploader.local.root";

  /** Whether the notifier's default policy would refuse any of these URLs. */
  private static boolean refusedByDefault(String urls) {
    DestinationPolicy policy = new DestinationPolicy(false);
    for (String url : urls.split(",")) {
      try {
        if (policy.refusal(java.net.URI.create(url.trim())).isPresent()) {
          return true;
        }
      } catch (Exception e) {
        // Malformed or unresolvable: the notifier reports it when it delivers.
      }
    }
    return false;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>();
    Config base = kafka.config();
    // A flag given wins; without it a setting (--set, environment, --config) stands, else ./recordings.
    if (storageDir != null || base.raw(LOCAL_ROOT) == null) {
      overrides.put(LOCAL_ROOT, (storageDir != null ? storageDir : Path.of("recordings")).toAbsolutePath().toString());
    }
    if (auth != null) {
      if (!auth.contains(":")) {
        throw new IllegalArgumentException("--auth takes KEY:SECRET");
      }
      overrides.put("gateway.auth", auth);
    }
    if (webhook != null) {
      overrides.put("notifier.webhook.url", webhook);
      if (webhookSecret != null) {
        overrides.put("notifier.webhook.secret", webhookSecret);
      }
    }
    if (allowPrivateAddresses) {
      overrides.put(AddressPolicy.ALLOW_PRIVATE.name(), "true");
    }
    if (allowPrivateWebhooks || allowPrivateAddresses) {
      overrides.put("notifier.allow.private", "true");
    } else if (webhook != null && refusedByDefault(webhook)) {
      System.err.println("capstan serve: warning: --webhook " + webhook + " is a loopback or private address;"
          + " deliveries to it are refused unless you add --allow-private-webhooks");
    }
    EmbeddedKafka broker = null;
    if (embedded) {
      Files.createDirectories(dataDir);
      broker = new EmbeddedKafka(dataDir.toAbsolutePath(), kafkaPort).start();
      overrides.put(Config.BOOTSTRAP.name(), broker.bootstrapServers());
      // The status table's local state belongs with the broker it was built from.
      if (base.raw("notifier.state.dir") == null) {
        overrides.put("notifier.state.dir", dataDir.resolve("notifier-state").toAbsolutePath().toString());
      }
    }
    Config config = base.with(overrides);
    List<ServiceCatalog.Entry> entries = services == null ? ServiceCatalog.all() : ServiceCatalog.select(services);
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    // SIGTERM: ask the main thread to close everything in order, and let the JVM exit only after it has.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopRequested.countDown();
      try {
        closed.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "sigterm"));
    try (EmbeddedKafka ignored = broker; Deployment deployment = Deployment.start(config, entries, port)) {
      System.out.println("capstan serving " + entries.stream().map(ServiceCatalog.Entry::name).toList()
          + " on http://localhost:" + deployment.httpPort() + " (Kafka " + config.get(Config.BOOTSTRAP) + ")"
          + (embedded ? ", storage " + config.raw(LOCAL_ROOT) : ""));
      stopRequested.await();
      log.info("stopping");
    } finally {
      closed.countDown();
    }
    return 0;
  }
}
