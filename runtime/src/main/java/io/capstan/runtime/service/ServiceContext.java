package io.capstan.runtime.service;

import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.KafkaClients;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.UUID;

/** What every service is built from: its configuration, Kafka clients, metrics and instance name. */
public record ServiceContext(Config config, KafkaClients kafka, PrometheusMeterRegistry metrics, String instanceId) {

  public static ServiceContext of(Config config) {
    String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
    return new ServiceContext(config, new KafkaClients(config.kafka()),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), pid + "-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** A client id that says which service and instance a connection belongs to. */
  public String clientId(String service, String role) {
    return "capstan-" + service + "-" + role + "-" + instanceId;
  }
}
