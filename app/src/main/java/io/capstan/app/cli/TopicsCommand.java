package io.capstan.app.cli;

import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.TopicAdmin;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.ServiceLauncher;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage Capstan's topics.",
    subcommands = TopicsCommand.Create.class)
public final class TopicsCommand implements Runnable {

  @Override
  public void run() {
    System.out.println("use 'capstan topics create'");
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create Capstan's missing topics; warn about existing ones whose settings differ.")
  static final class Create implements Callable<Integer> {
    @Option(names = "--partitions", description = "partitions per topic (default: topics.partitions, 6)")
    Integer partitions;
    @Option(names = "--replication-factor", description = "replication factor (default: topics.replication.factor, 1)")
    Short replication;
    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() {
      Config config = kafka.config();
      int p = partitions != null ? partitions : config.get(ServiceLauncher.TOPICS_PARTITIONS);
      short r = replication != null ? replication : config.get(ServiceLauncher.TOPICS_REPLICATION).shortValue();
      List<String> created = TopicAdmin.ensure(config.kafka(), Topics.ALL, p, r);
      Topics.ALL.forEach(t -> System.out.println((created.contains(t.name()) ? "created  " : "exists   ") + t.name()));
      return 0;
    }
  }
}
