package io.capstan.runtime.service;

import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.SharedViews;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.UUID;

/**
 * What every service is built from: its configuration, Kafka clients, metrics, instance name and the
 * views of compacted topics it shares with the other services of its process.
 */
public record ServiceContext(Config config, KafkaClients kafka, PrometheusMeterRegistry metrics, String instanceId,
                             SharedViews views) {

  public static ServiceContext of(Config config) {
    String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
    KafkaClients kafka = new KafkaClients(config.kafka());
    String instanceId = pid + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new ServiceContext(config, kafka, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), instanceId,
        new SharedViews(kafka, topic -> clientId("view", topic, instanceId)));
  }

  /** A client id that says which service and instance a connection belongs to. */
  public String clientId(String service, String role) {
    return clientId(service, role, instanceId);
  }

  private static String clientId(String service, String role, String instanceId) {
    return "capstan-" + service + "-" + role + "-" + instanceId;
  }
}
