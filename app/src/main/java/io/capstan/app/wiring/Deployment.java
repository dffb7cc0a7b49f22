package io.capstan.app.wiring;

import io.capstan.gateway.GatewayService;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.config.Setting;
import io.capstan.runtime.http.HealthServer;
import io.capstan.runtime.http.HttpLimits;
import io.capstan.runtime.service.Service;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.runtime.service.ServiceGroup;
import io.capstan.runtime.service.ServiceLauncher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several services in this JVM sharing one configuration, one set of metrics and one HTTP port
 * (health, readiness, metrics and, when the gateway is among them, the REST API).
 */
public final class Deployment implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Deployment.class);

  private final ServiceContext context;
  private final ServiceGroup group;
  private final HealthServer http;

  private Deployment(ServiceContext context, ServiceGroup group, HealthServer http) {
    this.context = context;
    this.group = group;
    this.http = http;
  }

  /** Creates missing topics, builds the chosen services and serves HTTP on {@code httpPort} (0: any). */
  public static Deployment start(Config config, List<ServiceCatalog.Entry> entries, int httpPort) throws IOException {
    List<Setting<?>> settings = new ArrayList<>(ServiceLauncher.commonSettings());
    entries.forEach(e -> settings.addAll(e.settings()));
    log.info("capstan settings:\n{}", config.describe(settings));
    ServiceLauncher.ensureTopics(config);
    ServiceContext context = ServiceContext.of(config);
    List<Service> services = new ArrayList<>();
    for (ServiceCatalog.Entry entry : entries) {
      services.add(entry.factory().apply(context));
    }
    ServiceGroup group = new ServiceGroup("capstan", services);
    HealthServer http = new HealthServer(config.get(ServiceLauncher.HTTP_HOST), httpPort, group, context.metrics(),
        HttpLimits.of(config));
    for (Service service : services) {
      if (service instanceof GatewayService gateway) {
        gateway.mount(http);
      }
    }
    Deployment deployment = new Deployment(context, group, http);
    try {
      group.start();
      http.start();
    } catch (RuntimeException e) {
      deployment.close();
      throw e;
    }
    return deployment;
  }

  public ServiceContext context() {
    return context;
  }

  public boolean ready() {
    return group.healthy() && group.ready();
  }

  public int httpPort() {
    return http.port();
  }

  @Override
  public void close() {
    group.close();
    context.views().close();
    http.close();
  }
}
