package io.capstan.runtime.service;

import io.capstan.runtime.config.Config;
import io.capstan.runtime.config.ConfigException;
import io.capstan.runtime.config.Setting;
import io.capstan.runtime.http.HealthServer;
import io.capstan.runtime.http.HttpLimits;
import io.capstan.runtime.kafka.TopicAdmin;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.serde.AvroTrust;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of every service's {@code main}: read configuration (a properties file named by
 * {@code --config FILE} or {@code CAPSTAN_CONFIG}, the environment, {@code --set name=value}),
 * log the effective settings with secrets masked, create missing topics, serve health and
 * metrics, start, and on SIGTERM close cleanly.
 */
public final class ServiceLauncher {

  public static final Setting<String> HTTP_HOST = Setting.string("http.host", "0.0.0.0",
      "address the health, readiness and metrics endpoints listen on");
  public static final Setting<Boolean> TOPICS_CREATE = Setting.bool("topics.create", true,
      "create missing topics at start-up");
  public static final Setting<Integer> TOPICS_PARTITIONS = Setting.integer("topics.partitions", Topics.DEFAULT_PARTITIONS,
      "partitions of topics created at start-up (the most instances of one service that can share work)");
  public static final Setting<Integer> TOPICS_REPLICATION = Setting.integer("topics.replication.factor", 1,
      "replication factor of topics created at start-up");

  private static final Logger log = LoggerFactory.getLogger(ServiceLauncher.class);

  private ServiceLauncher() {
  }

  public static List<Setting<?>> commonSettings() {
    List<Setting<?>> all = new ArrayList<>(List.of(Config.BOOTSTRAP, HTTP_HOST, TOPICS_CREATE, TOPICS_PARTITIONS,
        TOPICS_REPLICATION));
    all.addAll(HttpLimits.settings());
    return List.copyOf(all);
  }

  /** Reads {@code --config FILE} and {@code --set k=v} arguments, the file and the environment. */
  public static Config configFrom(String[] args) {
    Path file = System.getenv("CAPSTAN_CONFIG") == null ? null : Path.of(System.getenv("CAPSTAN_CONFIG"));
    Map<String, String> overrides = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = Path.of(args[++i]);
      } else if (args[i].equals("--set") && i + 1 < args.length) {
        String[] kv = args[++i].split("=", 2);
        if (kv.length != 2) {
          throw new ConfigException("--set takes name=value, got '" + args[i] + "'");
        }
        overrides.put(kv[0], kv[1]);
      } else {
        throw new ConfigException("unknown argument '" + args[i] + "' (use --config FILE or --set name=value)");
      }
    }
    return Config.load(file, System.getenv(), overrides);
  }

  public static void ensureTopics(Config config) {
    if (config.get(TOPICS_CREATE)) {
      TopicAdmin.ensure(config.kafka(), Topics.ALL, config.get(TOPICS_PARTITIONS),
          config.get(TOPICS_REPLICATION).shortValue());
    }
  }

  /**
   * Runs one service until SIGTERM. {@code portSetting} is the service's own HTTP port setting.
   */
  public static void run(String name, String[] args, Setting<Integer> portSetting, List<Setting<?>> settings,
                         Function<ServiceContext, Service> factory) {
    io.capstan.runtime.net.AddressPolicy.pinDnsCache();
    AvroTrust.install();
    try {
      Config config = configFrom(args);
      List<Setting<?>> all = new ArrayList<>(commonSettings());
      all.add(portSetting);
      all.addAll(settings);
      log.info("capstan {} settings:\n{}", name, config.describe(all));
      ensureTopics(config);
      ServiceContext context = ServiceContext.of(config);
      Service service = factory.apply(context);
      HealthServer http = new HealthServer(config.get(HTTP_HOST), config.get(portSetting), service, context.metrics(),
          HttpLimits.of(config));
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        log.info("capstan {} stopping", name);
        service.close();
        context.views().close();
        http.close();
        stopped.countDown();
      }, "shutdown"));
      service.start();
      http.start();
      log.info("capstan {} started; health on port {}", name, http.port());
      stopped.await();
    } catch (ConfigException e) {
      System.err.println("capstan " + name + ": " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      log.error("capstan {} failed to start", name, e);
      System.exit(1);
    }
  }
}
