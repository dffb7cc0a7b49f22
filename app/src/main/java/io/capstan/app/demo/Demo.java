package io.capstan.app.demo;

import io.capstan.app.webhook.WebhookReceiver;
import io.capstan.app.wiring.Deployment;
import io.capstan.app.wiring.ServiceCatalog;
import io.capstan.broker.EmbeddedKafka;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The whole pipeline in one process: a broker (embedded unless one is given), every service,
 * three generated sources, a webhook receiver; records for a while, stops, and waits for the
 * session to exit with every file stored.
 */
public final class Demo {

  private static final Duration READY_WAIT = Duration.ofSeconds(90);

  /** What a demo run leaves behind. */
  public record Result(String sid, Path storageDir, Path playlist, List<WebhookReceiver.Callback> callbacks,
                       boolean sessionExited) {
  }

  private static final int SESSION_EXIT = 11;

  private final Path outputDir;
  private final Duration recordFor;
  private final PrintStream out;
  private final String externalBootstrap;

  public Demo(Path outputDir, Duration recordFor, PrintStream out, String externalBootstrap) {
    this.outputDir = outputDir.toAbsolutePath();
    this.recordFor = recordFor;
    this.out = out;
    this.externalBootstrap = externalBootstrap;
  }

  public Result run() throws Exception {
    Path storage = outputDir.resolve("recordings");
    Files.createDirectories(storage);
    String secret = UUID.randomUUID().toString();
    String sid = UUID.randomUUID().toString().replace("-", "");
    CountDownLatch exited = new CountDownLatch(1);
    List<WebhookReceiver.Callback> ours = new CopyOnWriteArrayList<>();
    Path kafkaDir = null;
    EmbeddedKafka broker = null;
    try (WebhookReceiver receiver = new WebhookReceiver(secret, callback -> {
      // On a broker that recorded before, the notifier also delivers notices older recordings left
      // undelivered: they are not this demo's (and their session_exit must not end its wait).
      if (!callback.sid().equals(sid)) {
        out.printf("  webhook  %-4d for another recording (sid %s), left out%n", callback.eventType(), callback.sid());
        return;
      }
      ours.add(callback);
      out.printf("  webhook  %-4d %-36s seq %-3d signature %s%n", callback.eventType(), callback.msgName(),
          callback.sequence(), callback.signatureValid() ? "ok" : "WRONG");
      if (callback.eventType() == SESSION_EXIT) {
        exited.countDown();
      }
    })) {
      String bootstrap = externalBootstrap;
      if (bootstrap == null) {
        kafkaDir = Files.createTempDirectory("capstan-demo-kafka");
        broker = new EmbeddedKafka(kafkaDir, 0).start();
        bootstrap = broker.bootstrapServers();
        out.println("Kafka broker (embedded, KRaft) on " + bootstrap);
      }
      Map<String, String> settings = new HashMap<>();
      settings.put(Config.BOOTSTRAP.name(), bootstrap);
      settings.put("uploader.local.root", storage.toString());
      settings.put("notifier.webhook.url", receiver.url());
      settings.put("notifier.webhook.secret", secret);
      settings.put("notifier.allow.private", "true");
      // The status table's local state belongs with the broker it was built from.
      Path stateDir = kafkaDir != null ? kafkaDir.resolve("notifier-state") : Files.createTempDirectory("capstan-demo-state");
      settings.put("notifier.state.dir", stateDir.toString());
      try (Deployment deployment = Deployment.start(Config.load(null, Map.of(), settings), ServiceCatalog.all(), 0)) {
        out.println("services ingest, mixer, segmenter, uploader, notifier, gateway started; webhook receiver on "
            + receiver.url());
        return record(deployment, storage, sid, ours, exited);
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
      if (kafkaDir != null) {
        deleteTree(kafkaDir);
      }
    }
  }

  /**
   * The recording lasts from its start to its stop: sent before the services have their partitions,
   * the start would wait for them and the recording come out short of the seconds asked for.
   */
  private void awaitReady(Deployment deployment) throws InterruptedException {
    long deadline = System.nanoTime() + READY_WAIT.toNanos();
    while (!deployment.ready()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the services were not ready after " + READY_WAIT.toSeconds() + " s");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private Result record(Deployment deployment, Path storage, String sid, List<WebhookReceiver.Callback> callbacks,
                        CountDownLatch exited) throws Exception {
    JobSpec spec = DemoJob.spec(sid);
    Path bucket = storage.resolve(DemoJob.BUCKET);
    awaitReady(deployment);
    try (KafkaProducer<String, SpecificRecord> producer = deployment.context().kafka().producer("capstan-demo")) {
      send(producer, DemoJob.start(spec));
      out.printf("recording sid %s of channel '%s': 3 generated sources, 1280x720 best fit, %d s slices%n", sid,
          DemoJob.CHANNEL, DemoJob.SLICE_SECONDS);
      long seconds = recordFor.toSeconds();
      for (long s = 1; s <= seconds; s++) {
        TimeUnit.SECONDS.sleep(1);
        out.printf("  [%3d/%d s] recording; slices stored: %d%n", s, seconds, count(bucket, ".ts"));
      }
      send(producer, DemoJob.stop(sid));
      out.println("stop sent; waiting for the last slices to be stored...");
    }
    boolean done = exited.await(90, TimeUnit.SECONDS);
    Path playlist = bucket.resolve(sid + "_" + DemoJob.CHANNEL + ".m3u8");
    return new Result(sid, bucket, playlist, List.copyOf(callbacks), done);
  }

  private static void send(KafkaProducer<String, SpecificRecord> producer, RecordingCommand command) throws Exception {
    producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), command.getJobId(), command)).get(30, TimeUnit.SECONDS);
  }

  private static long count(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory: the OS cleans it up eventually
    }
  }
}
