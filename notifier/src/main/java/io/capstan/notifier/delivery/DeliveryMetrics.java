package io.capstan.notifier.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/** What an operator watches: deliveries, retries, dead letters and how many wait. */
public record DeliveryMetrics(Counter delivered, Counter retried, Counter deadLettered) {

  public static DeliveryMetrics on(MeterRegistry registry) {
    return new DeliveryMetrics(
        counter(registry, "delivered", "notices a subscriber accepted (2xx)"),
        counter(registry, "retried", "failed attempts that will be tried again"),
        counter(registry, "dead_lettered", "notices given up for a subscriber and written to capstan.notices.dlq"));
  }

  /** Deliveries handed to subscribers and not finished yet. */
  public static void pending(MeterRegistry registry, Supplier<Number> pending) {
    // The supplier form holds its lambda strongly; registry.gauge(name, obj, fn) would let it be collected.
    Gauge.builder("capstan_notifier_webhook_pending", pending)
        .description("deliveries handed to subscribers and not finished yet").register(registry);
  }

  private static Counter counter(MeterRegistry registry, String outcome, String description) {
    return Counter.builder("capstan_notifier_webhook_notices").tag("outcome", outcome).description(description)
        .register(registry);
  }
}
