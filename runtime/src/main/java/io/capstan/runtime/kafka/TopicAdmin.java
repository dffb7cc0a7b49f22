package io.capstan.runtime.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the catalog's missing topics and warns about existing ones whose settings differ. */
public final class TopicAdmin {

  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

  private TopicAdmin() {
  }

  /** @return the names of the topics it created. */
  public static List<String> ensure(Map<String, Object> kafka, Collection<TopicSpec<?>> specs, int partitions,
                                    short replicationFactor) {
    try (Admin admin = Admin.create(kafka)) {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec<?> spec : specs) {
        if (!existing.contains(spec.name())) {
          missing.add(new NewTopic(spec.name(), partitions, replicationFactor).configs(spec.configs()));
        }
      }
      List<String> created = new ArrayList<>();
      for (NewTopic topic : missing) {
        try {
          admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
          created.add(topic.name());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      if (!created.isEmpty()) {
        log.info("created topics {}", created);
      }
      warnAboutDifferences(admin, specs.stream().filter(s -> existing.contains(s.name())).toList());
      return created;
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create Capstan's topics on " + kafka.get("bootstrap.servers") + ": "
          + e.getMessage(), e);
    }
  }

  private static void warnAboutDifferences(Admin admin, List<TopicSpec<?>> specs) throws Exception {
    if (specs.isEmpty()) {
      return;
    }
    List<ConfigResource> resources = specs.stream()
        .map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList();
    Map<ConfigResource, Config> actual = admin.describeConfigs(resources).all().get(60, TimeUnit.SECONDS);
    for (TopicSpec<?> spec : specs) {
      Config config = actual.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
      String differences = spec.configs().entrySet().stream()
          .filter(e -> config.get(e.getKey()) == null || !e.getValue().equals(config.get(e.getKey()).value()))
          .map(e -> e.getKey() + "=" + (config.get(e.getKey()) == null ? "unset" : config.get(e.getKey()).value())
              + " (Capstan expects " + e.getValue() + ")")
          .collect(Collectors.joining(", "));
      if (!differences.isEmpty()) {
        log.warn("topic {} exists with other settings: {}", spec.name(), differences);
      }
    }
  }
}
