package io.capstan.runtime.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Several services run as one: started in order, closed in reverse order. */
public final class ServiceGroup implements Service {

  private static final Logger log = LoggerFactory.getLogger(ServiceGroup.class);

  private final String name;
  private final List<Service> services;
  private final List<Service> started = new ArrayList<>();

  public ServiceGroup(String name, List<Service> services) {
    this.name = name;
    this.services = List.copyOf(services);
  }

  public List<Service> services() {
    return services;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized void start() {
    for (Service service : services) {
      log.info("starting {}", service.name());
      service.start();
      started.add(service);
    }
  }

  @Override
  public boolean healthy() {
    return services.stream().allMatch(Service::healthy);
  }

  @Override
  public boolean ready() {
    return services.stream().allMatch(Service::ready);
  }

  @Override
  public List<String> notReady() {
    return services.stream().flatMap(s -> s.notReady().stream()).toList();
  }

  @Override
  public synchronized void close() {
    List<Service> reverse = new ArrayList<>(started);
    Collections.reverse(reverse);
    for (Service service : reverse) {
      try {
        log.info("stopping {}", service.name());
        service.close();
      } catch (RuntimeException e) {
        log.warn("{} did not stop cleanly", service.name(), e);
      }
    }
    started.clear();
  }
}
