package io.capstan.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Every service process of a deployment, several instances per service, and which of them owns a
 * partition now. Kafka is the authority on ownership: the instance whose group member holds the
 * partition, recognised by its client id (Capstan's client ids carry the process id).
 */
final class Fleet implements AutoCloseable {

  private final Path jar;
  private final Path dir;
  private final String bootstrap;
  private final BiFunction<String, String, Map<String, String>> settings;
  private final List<ServiceProcess> processes = new ArrayList<>();

  /** @param settings the settings of an instance, from its service and its instance name */
  Fleet(Path jar, Path dir, String bootstrap, BiFunction<String, String, Map<String, String>> settings) {
    this.jar = jar;
    this.dir = dir;
    this.bootstrap = bootstrap;
    this.settings = settings;
  }

  synchronized ServiceProcess start(String service, String name) throws IOException {
    ServiceProcess process = ServiceProcess.start(jar, dir, service, name, bootstrap, settings.apply(service, name));
    processes.add(process);
    return process;
  }

  synchronized List<ServiceProcess> running() {
    return processes.stream().filter(ServiceProcess::alive).toList();
  }

  boolean allReady() {
    return running().stream().allMatch(ServiceProcess::ready);
  }

  /**
   * The running instance whose member of {@code group} is assigned {@code partition}, if one is (a
   * rebalance may be under way).
   */
  Optional<ServiceProcess> owner(Admin admin, String group, TopicPartition partition) throws Exception {
    ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
        .get(10, TimeUnit.SECONDS).get(group);
    for (MemberDescription member : description.members()) {
      if (member.assignment().topicPartitions().contains(partition)) {
        for (ServiceProcess process : running()) {
          if (member.clientId().contains("-" + process.pid() + "-")) {
            return Optional.of(process);
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Every instance's lines about handing work over (take-overs, restarts, replays, aborted
   * transactions, rebalances), in time order per instance: what a failure's reader needs first.
   */
  synchronized String handovers() {
    java.util.regex.Pattern wanted = java.util.regex.Pattern.compile(
        "taking over|resuming|replaying|aborting|replacing the producer|mixing (COMPOSITE|INDIVIDUAL)|partitions? (assigned|revoked|lost)|resumes|continu|ended");
    StringBuilder out = new StringBuilder();
    for (ServiceProcess p : processes) {
      out.append("\n--- ").append(p).append(", handovers:");
      try {
        List<String> lines = Files.readAllLines(p.log(), StandardCharsets.UTF_8).stream()
            .filter(line -> wanted.matcher(line).find()).toList();
        for (String line : lines.subList(Math.max(0, lines.size() - 60), lines.size())) { // the last 60
          out.append("\n").append(line.length() > 300 ? line.substring(0, 300) + "..." : line);
        }
      } catch (IOException e) {
        out.append(" (cannot read ").append(p.log()).append(": ").append(e.getMessage()).append(')');
      }
    }
    return out.toString();
  }

  /** The last lines of every log, for a failure's message. */
  synchronized String logs(int lines) {
    Map<String, String> tails = new LinkedHashMap<>();
    processes.forEach(p -> tails.put(p + (p.alive() ? "" : ", dead") + ", " + p.log(), p.tail(lines)));
    StringBuilder out = new StringBuilder();
    tails.forEach((k, v) -> out.append("\n--- ").append(k).append(":\n").append(v));
    return out.toString();
  }

  @Override
  public synchronized void close() {
    // SIGTERM to all first, so they stop in parallel; then wait for each.
    List<ServiceProcess> alive = running();
    alive.forEach(ServiceProcess::terminate);
    alive.forEach(ServiceProcess::stop);
  }
}
