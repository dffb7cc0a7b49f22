package io.capstan.gateway;

import io.capstan.runtime.config.Config;
import io.capstan.runtime.config.ConfigException;
import io.capstan.runtime.config.Setting;
import io.capstan.runtime.http.HealthServer;
import io.capstan.runtime.http.HttpLimits;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.runtime.service.ServiceLauncher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the gateway alone: the REST API, {@code /health}, {@code /ready} and {@code /metrics} on
 * {@code gateway.http.port} (8080). Like {@link ServiceLauncher#run}, which has no way to add a
 * handler to its server, so the same steps are spelled out here.
 */
public final class GatewayMain {

  private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);

  private GatewayMain() {
  }

  public static void main(String[] args) {
    io.capstan.runtime.net.AddressPolicy.pinDnsCache();
    try {
      Config config = ServiceLauncher.configFrom(args);
      List<Setting<?>> all = new ArrayList<>(ServiceLauncher.commonSettings());
      all.add(GatewaySettings.HTTP_PORT);
      all.addAll(GatewayService.settings());
      log.info("capstan gateway settings:\n{}", config.describe(all));
      ServiceLauncher.ensureTopics(config);
      ServiceContext context = ServiceContext.of(config);
      GatewayService service = new GatewayService(context);
      HealthServer http = new HealthServer(config.get(ServiceLauncher.HTTP_HOST), config.get(GatewaySettings.HTTP_PORT),
          service, context.metrics(), HttpLimits.of(config));
      service.mount(http);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        log.info("capstan gateway stopping");
        http.close();
        service.close();
        stopped.countDown();
      }, "shutdown"));
      service.start();
      http.start();
      log.info("capstan gateway started; REST API and health on port {}", http.port());
      stopped.await();
    } catch (ConfigException e) {
      System.err.println("capstan gateway: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      log.error("capstan gateway failed to start", e);
      System.exit(1);
    }
  }
}
