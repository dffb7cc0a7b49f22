package io.capstan.notifier;

import io.capstan.notifier.delivery.Backoff;
import io.capstan.notifier.delivery.DeadLetters;
import io.capstan.notifier.delivery.DeliveryMetrics;
import io.capstan.notifier.delivery.DestinationPolicy;
import io.capstan.notifier.delivery.JobWebhooks;
import io.capstan.notifier.delivery.Subscriber;
import io.capstan.notifier.delivery.TrustStores;
import io.capstan.notifier.delivery.WebhookClient;
import io.capstan.notifier.delivery.WebhookDispatcher;
import io.capstan.notifier.status.StatusStreams;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.config.Setting;
import io.capstan.runtime.kafka.GroupMembership;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.Service;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.runtime.service.ServiceLauncher;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Notice;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier: the Kafka Streams application that numbers every job's events into notices and
 * folds them into capstan.status, and the dispatcher that delivers notices to webhooks.
 */
public final class NotifierService implements Service {

  public static final String NAME = "notifier";

  public static final Setting<Integer> PORT = Setting.integer("notifier.http.port", 8085,
      "port of the notifier's health, readiness and metrics endpoints");
  public static final Setting<String> STATE_DIR = Setting.string("notifier.state.dir",
      Path.of(System.getProperty("java.io.tmpdir"), "capstan-notifier").toString(),
      "directory of the status application's local state (rebuilt from Kafka when lost)");
  public static final Setting<String> WEBHOOK_URL = Setting.string("notifier.webhook.url", "",
      "global webhook subscribers: comma-separated URLs that receive every job's events");
  public static final Setting<String> WEBHOOK_SECRET = Setting.secret("notifier.webhook.secret",
      "secrets of the global webhooks, comma-separated in the order of notifier.webhook.url (empty: unsigned)");
  public static final Setting<Duration> WEBHOOK_TIMEOUT = Setting.duration("notifier.webhook.timeout",
      Duration.ofSeconds(20), "a delivery fails when the receiver has not answered within this time");
  public static final Setting<Duration> RETRY_MAX = Setting.duration("notifier.retry.max", Duration.ofHours(24),
      "how long a failing delivery is retried before it is dead-lettered to capstan.notices.dlq");
  public static final Setting<Duration> RETRY_BASE = Setting.duration("notifier.retry.base", Duration.ofSeconds(1),
      "first retry delay; each further retry waits twice as long (with jitter), up to notifier.retry.cap");
  public static final Setting<Duration> RETRY_CAP = Setting.duration("notifier.retry.cap", Duration.ofSeconds(60),
      "longest wait between two attempts of one delivery");
  public static final Setting<Boolean> ALLOW_PRIVATE = Setting.bool("notifier.allow.private", false,
      "allow webhooks to loopback, link-local and private addresses (tests, demos, one-host setups)");
  public static final Setting<Integer> THREADS_PER_SUBSCRIBER = Setting.integer("notifier.webhook.threads", 4,
      "concurrent requests per webhook receiver (each job's notices still go one after the other)");
  public static final Setting<Integer> MAX_PENDING = Setting.integer("notifier.webhook.max.pending", 10000,
      "deliveries outstanding in all at most; beyond it the dispatcher stops reading notices until half are done");
  public static final Setting<Integer> MAX_PENDING_PER_RECEIVER = Setting.integer(
      "notifier.webhook.max.pending.per.receiver", 1000, "when notifier.webhook.max.pending is reached, a receiver"
          + " stuck for notifier.webhook.timeout keeps this many notices and dead-letters the rest, and what comes for"
          + " it beyond them until it answers again, so that it does not hold back the other receivers");
  public static final Setting<Duration> SPEC_WAIT = Setting.duration("notifier.spec.wait", Duration.ofSeconds(10),
      "how long a job's first notice waits for its spec (its own webhooks) while capstan.jobs cannot be read up to"
          + " its end (a broker away); a spec already written is always found");

  public static final Setting<String> TRUSTSTORE = Setting.string("notifier.webhook.truststore", "",
      "a trust store (PKCS12) of the CAs that sign HTTPS webhook receivers; empty: the JVM's default trust");
  public static final Setting<String> TRUSTSTORE_PASSWORD = Setting.secret("notifier.webhook.truststore.password",
      "password of notifier.webhook.truststore");

  private static final Logger log = LoggerFactory.getLogger(NotifierService.class);

  private final TopicView<JobSpec> jobs;
  private final StatusStreams streams;
  private final KafkaProducer<String, SpecificRecord> producer;
  private final WebhookDispatcher dispatcher;
  private final Duration specWait;

  public NotifierService(ServiceContext ctx) {
    Config config = ctx.config();
    this.specWait = config.get(SPEC_WAIT);
    this.jobs = ctx.views().open(Topics.JOBS);
    this.streams = new StatusStreams(ctx.kafka().base(), Path.of(config.get(STATE_DIR)),
        config.get(ServiceLauncher.TOPICS_REPLICATION), ctx.clientId(NAME, "status"));
    this.producer = ctx.kafka().producer(ctx.clientId(NAME, "dlq"));
    KafkaConsumer<String, Notice> consumer = ctx.kafka().consumer(Topics.NOTICES, WebhookDispatcher.GROUP,
        ctx.clientId(NAME, "webhooks"), Map.of(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG,
            GroupMembership.retryBackoffMs()));
    Clock clock = Clock.systemUTC();
    this.dispatcher = new WebhookDispatcher(consumer,
        Subscriber.global(config.get(WEBHOOK_URL), config.get(WEBHOOK_SECRET)),
        jobWebhooks(),
        new WebhookClient(config.get(WEBHOOK_TIMEOUT), new DestinationPolicy(config.get(ALLOW_PRIVATE)
            || config.get(io.capstan.runtime.net.AddressPolicy.ALLOW_PRIVATE)), clock,
            TrustStores.fromFile(config.get(TRUSTSTORE), config.get(TRUSTSTORE_PASSWORD))),
        new DeadLetters(producer, clock),
        new Backoff(config.get(RETRY_BASE), config.get(RETRY_CAP)),
        config.get(RETRY_MAX),
        new WebhookDispatcher.Limits(config.get(THREADS_PER_SUBSCRIBER), config.get(MAX_PENDING),
            config.get(MAX_PENDING_PER_RECEIVER), config.get(WEBHOOK_TIMEOUT)),
        DeliveryMetrics.on(ctx.metrics()));
    DeliveryMetrics.pending(ctx.metrics(), dispatcher::pending);
  }

  public static List<Setting<?>> settings() {
    return List.of(PORT, STATE_DIR, WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_TIMEOUT, RETRY_MAX, RETRY_BASE, RETRY_CAP,
        ALLOW_PRIVATE, io.capstan.runtime.net.AddressPolicy.ALLOW_PRIVATE, THREADS_PER_SUBSCRIBER, MAX_PENDING, MAX_PENDING_PER_RECEIVER, SPEC_WAIT, TRUSTSTORE, TRUSTSTORE_PASSWORD);
  }

  /**
   * A job's own webhooks from its spec. Ingest has the spec acknowledged before it writes any
   * event, but the view may lag behind the notices: read it up to the topic's end, once per job.
   */
  private JobWebhooks jobWebhooks() {
    Set<String> waited = Collections.newSetFromMap(new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > 10_000;
      }
    });
    return jobId -> {
      Optional<JobSpec> spec = jobs.get(jobId);
      if (spec.isEmpty() && waited.add(jobId)) {
        spec = jobs.current(jobId, specWait);
      }
      return spec.map(JobSpec::getWebhooks).orElse(List.of());
    };
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {
    jobs.start();
    streams.start();
    dispatcher.start();
    log.info("notifier started: status application {} and webhook group {}", StatusStreams.APPLICATION_ID,
        WebhookDispatcher.GROUP);
  }

  @Override
  public boolean healthy() {
    return streams.healthy() && dispatcher.healthy();
  }

  @Override
  public boolean ready() {
    return streams.running() && dispatcher.ready();
  }

  @Override
  public void close() {
    dispatcher.close();
    streams.close();
    producer.close(Duration.ofSeconds(10));
    jobs.close();
  }
}
