package io.capstan.ingest;

import static org.awaitility.Awaitility.await;

import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.TopicAdmin;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StopCommand;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A running IngestService on the test broker, and a user's producer of commands. */
public final class IngestHarness implements AutoCloseable {

  private final ServiceContext context;
  private final IngestService service;
  private final KafkaProducer<String, SpecificRecord> commands;

  public IngestHarness(String bootstrap) {
    this(bootstrap, Map.of());
  }

  /** @param settings settings by name (e.g. ingest.source.io.timeout, uploader.local.root), over the defaults */
  public IngestHarness(String bootstrap, Map<String, String> settings) {
    TopicAdmin.ensure(Map.of("bootstrap.servers", bootstrap), Topics.ALL, 3, (short) 1);
    Map<String, String> config = new java.util.HashMap<>(settings);
    config.put(Config.BOOTSTRAP.name(), bootstrap);
    // The tests' own media files and local streams, as an operator would allow them.
    config.putIfAbsent("gateway.sources.files", "true");
    config.putIfAbsent("addresses.allow.private", "true");
    context = ServiceContext.of(Config.of(config));
    service = new IngestService(context);
    service.start();
    commands = context.kafka().producer("test-commands");
    await().atMost(Duration.ofSeconds(60)).until(service::ready);
  }

  public IngestService service() {
    return service;
  }

  public ServiceContext context() {
    return context;
  }

  public void start(JobSpec spec) throws Exception {
    send(spec.getJobId(), new StartCommand(spec));
  }

  public void stop(String jobId) throws Exception {
    send(jobId, new StopCommand(false));
  }

  public void send(String jobId, Object action) throws Exception {
    RecordingCommand command = new RecordingCommand(jobId, UUID.randomUUID().toString(), System.currentTimeMillis(),
        action);
    commands.send(new ProducerRecord<>(Topics.COMMANDS.name(), jobId, command)).get(30, TimeUnit.SECONDS);
  }

  public <V extends SpecificRecord> TopicReader<V> reader(io.capstan.runtime.kafka.TopicSpec<V> topic, String jobId) {
    return new TopicReader<>(context.kafka(), topic, jobId);
  }

  @Override
  public void close() {
    commands.close();
    service.close();
  }
}
