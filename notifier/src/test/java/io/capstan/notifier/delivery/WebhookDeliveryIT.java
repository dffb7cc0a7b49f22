package io.capstan.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.notifier.NotifierService;
import io.capstan.notifier.delivery.Receiver.Answer;
import io.capstan.notifier.delivery.Receiver.Request;
import io.capstan.notifier.support.JobEvents;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.events.Events;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.TopicAdmin;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.DeadLetter;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Webhook;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier on the real broker, delivering to real HTTP receivers: order, signatures,
 * retries, dead letters, isolation of subscribers, and the status table.
 */
@ExtendWith(KafkaBroker.class)
class WebhookDeliveryIT {

  private static final String GLOBAL_SECRET = "global-secret";
  private static final Duration RETRY_MAX = Duration.ofSeconds(5);
  private static final List<Integer> NORMAL_EVENT_TYPES = List.of(40, 43, 44, 42, 30, 31, 11);

  @TempDir
  static Path stateDir;

  private static Receiver global;
  private static NotifierService notifier;
  private static KafkaClients kafka;
  private static KafkaProducer<String, SpecificRecord> producer;
  private static KafkaConsumer<String, DeadLetter> deadLetterConsumer;
  private static final List<DeadLetter> deadLetters = new ArrayList<>();

  @BeforeAll
  static void startNotifier(@Bootstrap String bootstrap) throws Exception {
    TopicAdmin.ensure(Map.of("bootstrap.servers", bootstrap), Topics.ALL, 3, (short) 1);
    global = Receiver.ok();
    Config config = Config.of(Map.ofEntries(
        Map.entry("kafka.bootstrap.servers", bootstrap),
        Map.entry("notifier.state.dir", stateDir.toString()),
        Map.entry("notifier.allow.private", "true"),
        Map.entry("notifier.webhook.url", global.url()),
        Map.entry("notifier.webhook.secret", GLOBAL_SECRET),
        Map.entry("notifier.webhook.timeout", "2s"),
        Map.entry("notifier.retry.base", "20ms"),
        Map.entry("notifier.retry.cap", "200ms"),
        Map.entry("notifier.retry.max", RETRY_MAX.toMillis() + "ms"),
        // room for a few recordings' notices: one hanging receiver fills it (the isolation test)
        Map.entry("notifier.webhook.max.pending", "60"),
        Map.entry("notifier.webhook.max.pending.per.receiver", "5")));
    notifier = new NotifierService(ServiceContext.of(config));
    notifier.start();
    kafka = new KafkaClients(Map.of("bootstrap.servers", bootstrap));
    producer = kafka.producer("webhook-it");
    deadLetterConsumer = kafka.consumer(Topics.DEAD_LETTERS, null, "webhook-it-dlq");
    List<TopicPartition> partitions = deadLetterConsumer.partitionsFor(Topics.DEAD_LETTERS.name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    deadLetterConsumer.assign(partitions);
    deadLetterConsumer.seekToBeginning(partitions);
    await().atMost(Duration.ofSeconds(90)).until(() -> notifier.healthy() && notifier.ready());
  }

  @AfterAll
  static void stop() {
    if (notifier != null) {
      notifier.close();
    }
    if (producer != null) {
      producer.close();
    }
    if (deadLetterConsumer != null) {
      deadLetterConsumer.close();
    }
    if (global != null) {
      global.close();
    }
  }

  @Test
  void aJobsEventsArriveInOrderNumberedAndSigned() throws Exception {
    try (Receiver own = Receiver.ok()) {
      String jobId = newJobId();
      List<RecordingEvent> events = record(jobId, new Webhook(own.url(), "job-secret", null));

      await().atMost(Duration.ofSeconds(30)).until(() -> own.deliveredOf(jobId).size() == events.size());
      List<Request> received = own.requestsOf(jobId);
      assertThat(received).extracting(Request::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
      assertThat(received).extracting(Request::eventType).containsExactlyElementsOf(NORMAL_EVENT_TYPES);
      assertThat(received).extracting(Request::noticeId)
          .containsExactlyElementsOf(events.stream().map(RecordingEvent::getEventId).toList());
      for (Request r : received) {
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.signature()).isEqualTo(hmac("HmacSHA1", "job-secret", r.body()));
        assertThat(r.signatureV2()).isEqualTo(hmac("HmacSHA256", "job-secret", r.body()));
        assertThat(r.json().at("/payload/cname").asText()).isEqualTo("room-" + jobId);
        assertThat(r.json().get("productId").asInt()).isEqualTo(3);
      }

      // The global subscriber gets the same notices, signed with its own secret.
      await().atMost(Duration.ofSeconds(30)).until(() -> global.deliveredOf(jobId).size() == events.size());
      List<Request> globally = global.requestsOf(jobId);
      assertThat(globally).extracting(Request::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
      for (Request r : globally) {
        assertThat(r.signatureV2()).isEqualTo(hmac("HmacSHA256", GLOBAL_SECRET, r.body()));
      }
    }
  }

  @Test
  void aReceiverThatFailsAtFirstGetsEverythingInOrderWithStableNoticeIds() throws Exception {
    try (Receiver flaky = Receiver.start(n -> n < 3 ? new Answer(503, "busy") : Answer.ok())) {
      String jobId = newJobId();
      List<RecordingEvent> events = record(jobId, new Webhook(flaky.url(), null, null));

      await().atMost(Duration.ofSeconds(30)).until(() -> flaky.deliveredOf(jobId).size() == events.size());
      List<Request> all = flaky.requestsOf(jobId);
      assertThat(all).extracting(Request::sequence).isSorted();
      assertThat(all.subList(0, 3)).allSatisfy(r -> assertThat(r.status()).isEqualTo(503));
      // The retries of notice 0 are the same notice: same noticeId.
      assertThat(all.subList(0, 4)).extracting(Request::noticeId).containsOnly(events.get(0).getEventId());
      assertThat(flaky.deliveredOf(jobId)).extracting(Request::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
      assertThat(all.get(0).signature()).isNull(); // no secret, no signature
    }
  }

  @Test
  void aReceiverThatIsDownAtFirstGetsEverythingOnceItIsUp() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    String jobId = newJobId();
    List<RecordingEvent> events = record(jobId, new Webhook("http://127.0.0.1:" + port + "/hook", null, null));
    // By the time the global subscriber has the whole job, the down one has been refused a connection.
    await().atMost(Duration.ofSeconds(30)).until(() -> global.deliveredOf(jobId).size() == events.size());

    try (Receiver late = Receiver.startOn(port, n -> Answer.ok())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> late.deliveredOf(jobId).size() == events.size());
      assertThat(late.requestsOf(jobId)).extracting(Request::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    }
  }

  @Test
  void aRejectingReceiverIsDeadLetteredWhileOthersGetEverythingPromptly() throws Exception {
    try (Receiver bad = Receiver.start(n -> new Answer(400, "hook misconfigured"));
         Receiver good = Receiver.ok();
         Receiver hanging = Receiver.start(n -> new Answer(0, ""))) {
      String jobId = newJobId();
      String badUrl = "http://user:pw@127.0.0.1:" + bad.port() + "/hook?token=abc";
      List<RecordingEvent> events = record(jobId, new Webhook(hanging.url(), null, null),
          new Webhook(badUrl, "s", null), new Webhook(good.url(), null, null));

      // The hanging receiver holds its lane for the 2 s timeout per attempt; the good one is not held up.
      await().atMost(Duration.ofSeconds(5)).until(() -> good.deliveredOf(jobId).size() == events.size());
      assertThat(good.requestsOf(jobId)).extracting(Request::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);

      await().atMost(Duration.ofSeconds(30)).until(() -> deadLettersOf(jobId, "/hook?token=").size() == events.size());
      List<DeadLetter> letters = deadLettersOf(jobId, "/hook?token=");
      assertThat(letters).extracting(d -> d.getNotice().getSequence()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
      assertThat(letters).allSatisfy(d -> {
        assertThat(d.getReason()).isEqualTo("HTTP 400: hook misconfigured");
        assertThat(d.getAttempts()).isEqualTo(1);
        assertThat(d.getUrl()).isEqualTo("http://****@127.0.0.1:" + bad.port() + "/hook?token=****");
      });
      assertThat(bad.requestsOf(jobId)).hasSize(events.size()); // each tried once, never retried
    }
  }

  /**
   * One recording's receiver hangs while its recording sends more notices than the notifier keeps
   * outstanding: it is found stuck and sheds its backlog to the dead letters, and the next
   * recording's receiver gets everything within seconds (not after the hanging one's retries).
   */
  @Test
  void aHangingReceiverWithABacklogHoldsBackNoOtherRecording() throws Exception {
    try (Receiver hanging = Receiver.start(n -> new Answer(0, ""));
         Receiver good = Receiver.ok()) {
      String busy = newJobId();
      List<RecordingEvent> many = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        many.add(JobEvents.event(busy, JobEvents.T0 + i, new io.capstan.schemas.RecorderStarted(0)));
      }
      record(busy, many, new Webhook(hanging.url(), null, null));
      await().atMost(Duration.ofSeconds(10)).until(() -> !global.deliveredOf(busy).isEmpty());

      String other = newJobId();
      long sent = System.nanoTime();
      List<RecordingEvent> events = record(other, new Webhook(good.url(), null, null));
      await().atMost(Duration.ofSeconds(15)).until(() -> good.deliveredOf(other).size() == events.size());
      System.out.printf("the other recording's notices arrived %d ms after they were sent%n",
          (System.nanoTime() - sent) / 1_000_000);
      // It keeps its share, 5 (each given up after the retry limit), and sheds the rest, also what
      // comes for it after the dispatcher resumed: at most 5 of its 80 are left waiting.
      await().atMost(Duration.ofSeconds(15)).until(() -> deadLettersOf(busy, hanging.url()).size() >= 75);
      assertThat(deadLettersOf(busy, hanging.url()))
          .filteredOn(d -> d.getReason().startsWith("receiver backlog: stuck with more than 5 notices waiting"))
          .hasSizeBetween(70, 75);
      // The global receiver answers at once: working through the same 80 it is never taken for stuck.
      await().atMost(Duration.ofSeconds(30)).until(() -> global.deliveredOf(busy).size() == many.size());
      assertThat(deadLettersOf(busy, global.url())).isEmpty();
    }
  }

  @Test
  void aReceiverThatNeverRecoversIsDeadLetteredAfterTheRetryLimit() throws Exception {
    try (Receiver down = Receiver.start(n -> new Answer(503, "maintenance"))) {
      String jobId = newJobId();
      String url = down.url();
      record(jobId, List.of(JobEvents.normalRecording(jobId).get(0)), new Webhook(url, null, List.of(40)));

      await().atMost(RETRY_MAX.plusSeconds(20)).until(() -> !deadLettersOf(jobId, url).isEmpty());
      DeadLetter letter = deadLettersOf(jobId, url).get(0);
      assertThat(letter.getReason()).isEqualTo("gave up retrying: HTTP 503: maintenance");
      assertThat(letter.getAttempts()).isGreaterThan(3);
      assertThat(down.requestsOf(jobId)).extracting(Request::noticeId).containsOnly(letter.getNotice().getNoticeId());
    }
  }

  @Test
  void aJobsEventTypesFilterLimitsWhatItsWebhookGets() throws Exception {
    try (Receiver uploads = Receiver.ok()) {
      String jobId = newJobId();
      record(jobId, new Webhook(uploads.url(), null, List.of(31, 11)));
      await().atMost(Duration.ofSeconds(30)).until(() -> uploads.deliveredOf(jobId).size() == 2);
      await().atMost(Duration.ofSeconds(30)).until(() -> global.deliveredOf(jobId).size() == 7);
      assertThat(uploads.requestsOf(jobId)).extracting(Request::eventType).containsExactly(31, 11);
      assertThat(uploads.requestsOf(jobId)).extracting(Request::sequence).containsExactly(5L, 6L);
    }
  }

  @Test
  void afterSessionExitTheStatusShowsTheExitTheFilesAndTheUpload() {
    String jobId = newJobId();
    record(jobId);
    try (TopicView<JobStatus> status = new TopicView<>(kafka, Topics.STATUS, "webhook-it-status")) {
      status.start();
      await().atMost(Duration.ofSeconds(30))
          .until(() -> status.get(jobId).map(s -> s.getStatus() == 8).orElse(false));
      JobStatus s = status.get(jobId).orElseThrow();
      assertThat(s.getExited()).isTrue();
      assertThat(s.getUploadingStatus()).isEqualTo("uploaded");
      assertThat(s.getFileList()).containsExactly(JobEvents.playlist(jobId));
      assertThat(s.getMode()).isEqualTo(RecordingMode.COMPOSITE);
      assertThat(s.getResourceId()).isEqualTo("rid-" + jobId);
      assertThat(s.getLastSequence()).isEqualTo(6);
    }
  }

  private static String newJobId() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Writes the job's spec (as ingest does, before any event), then a normal recording's events. */
  private static List<RecordingEvent> record(String jobId, Webhook... webhooks) {
    return record(jobId, JobEvents.normalRecording(jobId), webhooks);
  }

  private static List<RecordingEvent> record(String jobId, List<RecordingEvent> events, Webhook... webhooks) {
    try { // as ingest does: the spec acknowledged before the first event
      producer.send(new ProducerRecord<>(Topics.JOBS.name(), jobId,
          JobEvents.spec(jobId, RecordingMode.COMPOSITE, List.of(webhooks)))).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not write the spec of " + jobId, e);
    }
    events.forEach(e -> Events.send(producer, e));
    producer.flush();
    return events;
  }

  private static List<DeadLetter> deadLettersOf(String jobId, String urlPart) {
    synchronized (deadLetters) {
      for (ConsumerRecord<String, DeadLetter> r : deadLetterConsumer.poll(Duration.ofMillis(100))) {
        deadLetters.add(r.value());
      }
      return deadLetters.stream()
          .filter(d -> d.getNotice().getEvent().getJobId().equals(jobId) && d.getUrl().contains(urlPart))
          .toList();
    }
  }

  private static String hmac(String algorithm, String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(new SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), algorithm));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }
}
