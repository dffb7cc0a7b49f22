package io.capstan.app.cli;

import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.JobStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Print a recording's status (what the REST query answers) from capstan.status.")
public final class StatusCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SID", description = "the recording's sid")
  String sid;

  @Mixin
  KafkaOptions kafka;

  @Override
  public Integer call() {
    try (TopicView<JobStatus> view = new TopicView<>(new KafkaClients(kafka.config().kafka()), Topics.STATUS,
        "capstan-cli-status")) {
      view.start();
      Optional<JobStatus> status = view.awaitCaughtUp(Duration.ofSeconds(30)) ? view.get(sid) : Optional.empty();
      if (status.isEmpty()) {
        System.err.println("capstan status: no recording with sid " + sid);
        return 1;
      }
      System.out.println(status.get());
      return 0;
    }
  }
}
