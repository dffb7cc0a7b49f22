package io.capstan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.broker.EmbeddedKafka;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.TopicAdmin;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.Source;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StopCommand;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.Uploaded;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreFactory;
import io.capstan.storage.StoreSettings;
import io.capstan.storage.testing.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capstan as an operator runs it on several machines — one broker, every service in its own JVM
 * ({@code java -jar capstan.jar serve --services X}), two instances of each — records a live
 * composite and a live individual recording into an S3 server while instances are killed in turn
 * ({@code kill -9} of the mixer, segmenter, uploader and ingest instance that owns the recordings,
 * a replacement started after each), the broker is restarted (30 s away) and the store goes down for
 * two minutes. Both recordings must come out whole: one playlist per output, every slice once and
 * in line with its #EXTINF, no decode error, no media missing around a mixer, segmenter or uploader
 * kill and at most the session timeout + 2 s around the ingest kill, the next slice stored within
 * 15 s of each kill, {@code uploaded} and {@code session_exit} once.
 *
 * <p>The settings are those a deployment sets for failover (see {@link #settings}). Both recordings'
 * ids fall on the same partition, so every kill of the owner hits both. Each instance's log is kept
 * in {@code target/chaos-it/}; the measured times are printed to the test's output.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ChaosIT {

  private static final Duration SESSION = Duration.ofSeconds(6);
  private static final Duration TRANSACTION = Duration.ofSeconds(6);
  private static final Duration BROKER_OUTAGE = Duration.ofSeconds(30);
  private static final Duration STORE_OUTAGE = Duration.ofMinutes(2);
  private static final Duration RESUME_LIMIT = Duration.ofSeconds(15);
  private static final long SLICE_MS = 2000;
  private static final int PARTITIONS = 6;
  private static final List<String> SERVICES = List.of("ingest", "mixer", "segmenter", "uploader", "notifier");
  private static final String PREFIX = "chaos";

  /** A disruption and what it cost: from {@code atMs} to the next slice stored, per recording. */
  private record Disruption(String what, long atMs, long untilMs, Map<String, Long> nextSliceMs,
                            Map<String, Long> liveSliceMs) {
  }

  private final List<Disruption> disruptions = new ArrayList<>();

  @Test
  void recordingsComeOutWholeThroughKillsABrokerRestartAndAStoreOutage(@TempDir Path tmp) throws Exception {
    Path jar = Path.of("target", "capstan.jar").toAbsolutePath();
    assertThat(jar).as("the packaged command (mvn package precedes the integration tests)").exists();
    Path logs = Path.of("target", "chaos-it").toAbsolutePath();
    if (Files.exists(logs)) { // the previous run's logs and outputs
      try (java.util.stream.Stream<Path> old = Files.walk(logs)) {
        for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(logs);
    long testStart = System.currentTimeMillis();
    // A killed instance's open transaction holds back every read_committed reader of its output until
    // the broker aborts it: the broker must look for timed-out transactions often, not every 10 s.
    EmbeddedKafka broker = new EmbeddedKafka(tmp.resolve("kafka"), 0,
        Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")).start();
    S3ProxyServer s3 = S3ProxyServer.start();
    Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
    TopicAdmin.ensure(kafka, Topics.ALL, PARTITIONS, (short) 1);
    String bucket = s3.newBucket();
    StorageConfig storage = StorageConfig.newBuilder().setVendor(1).setRegion("0").setBucket(bucket)
        .setAccessKey(S3ProxyServer.ACCESS_KEY).setSecretKey(S3ProxyServer.SECRET_KEY)
        .setEndpoint(s3.endpoint()).setFileNamePrefix(List.of(PREFIX)).build();
    String composite = "mix" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String individual = samePartition(composite);
    int partition = partition(composite);
    Map<String, String> parts = Map.of(composite, composite + "_", individual, individual + "_");
    KafkaClients clients = new KafkaClients(kafka);
    Fleet fleet = new Fleet(jar, logs, broker.bootstrapServers(), (service, name) -> settings(service, name, logs));
    try (ObjectStore store = new StoreFactory(new StoreSettings(tmp.resolve("view"), 16L << 20, 8 << 20))
             .open(storage);
         StoreWatch watch = new StoreWatch(store, PREFIX + "/");
         Admin admin = Admin.create(kafka);
         EventLog events = new EventLog(clients, Set.of(composite, individual));
         KafkaProducer<String, SpecificRecord> commands = clients.producer("chaos-commands")) {
      for (String service : SERVICES) {
        fleet.start(service, service + "-a");
        fleet.start(service, service + "-b");
      }
      await("every instance ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
          .until(fleet::allReady);
      System.out.printf("chaos: 10 instances ready %d ms after the test began%n",
          System.currentTimeMillis() - testStart);

      send(commands, composite, StartCommand.newBuilder().setSpec(compositeSpec(composite, storage)).build());
      send(commands, individual, StartCommand.newBuilder().setSpec(individualSpec(individual, storage)).build());
      awaitSlices(watch, parts.values(), 3, Duration.ofSeconds(90));

      Map<String, String> replaced = new LinkedHashMap<>();
      replaced.put("mixer", "capstan-mixer/" + Topics.FRAMES.name());
      replaced.put("segmenter", "capstan-segmenter/" + Topics.PACKETS.name());
      replaced.put("uploader", "capstan-uploader/" + Topics.FILES.name());
      replaced.put("ingest", "capstan-ingest/" + Topics.COMMANDS.name());
      for (Map.Entry<String, String> kind : replaced.entrySet()) {
        String[] groupTopic = kind.getValue().split("/");
        killOwner(fleet, admin, watch, parts, kind.getKey(), groupTopic[0],
            new TopicPartition(groupTopic[1], partition));
      }

      long brokerStop = System.currentTimeMillis();
      broker.close();
      Thread.sleep(BROKER_OUTAGE.toMillis()); // the outage itself: nothing to wait for but the clock
      broker.start();
      long brokerBack = System.currentTimeMillis();
      await("every instance ready after the broker restart").atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500)).until(fleet::allReady);
      System.out.printf("chaos: broker back after %d ms; every instance ready %d ms later%n", brokerBack - brokerStop,
          System.currentTimeMillis() - brokerBack);
      disruptions.add(measure("broker restart (30 s)", brokerStop, brokerBack, watch, parts, Duration.ofMinutes(2)));
      awaitSlices(watch, parts.values(), 2, Duration.ofSeconds(60));

      long storeStop = System.currentTimeMillis();
      s3.stop();
      Thread.sleep(STORE_OUTAGE.toMillis()); // the outage itself: nothing to wait for but the clock
      s3.restart();
      long storeBack = System.currentTimeMillis();
      disruptions.add(measure("store down (2 min)", storeStop, storeBack, watch, parts, Duration.ofMinutes(2)));
      awaitSlices(watch, parts.values(), 2, Duration.ofSeconds(60));

      long stopAt = System.currentTimeMillis();
      send(commands, composite, StopCommand.newBuilder().setAsync(true).build());
      send(commands, individual, StopCommand.newBuilder().setAsync(true).build());
      await("session_exit of both recordings").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
          .until(() -> !events.of(composite, SessionExit.class).isEmpty()
              && !events.of(individual, SessionExit.class).isEmpty());
      System.out.printf("chaos: both recordings ended %d ms after stop%n", System.currentTimeMillis() - stopAt);
      // Any copy of an event an instance sends again would follow within moments: give it the time.
      Thread.sleep(5000);

      report();
      List<String> failures = new ArrayList<>();
      for (String sid : List.of(composite, individual)) {
        checkEvents(events, sid, failures);
      }
      List<RecordingCheck.Result> results = new ArrayList<>();
      List<String> keys = store.list(PREFIX + "/");
      checkOutputs(store, keys, composite, 1, logs.resolve("out"), results, failures);
      checkOutputs(store, keys, individual, 2, logs.resolve("out"), results, failures);
      results.forEach(r -> System.out.println("chaos: " + r));
      for (RecordingCheck.Result result : results) {
        for (RecordingCheck.Gap gap : result.gaps()) {
          String excuse = excuse(gap, result);
          System.out.printf("chaos: %s: %s%s%n", result.playlist(), gap, excuse == null ? " — NOT ALLOWED"
              : " (" + excuse + ")");
          if (excuse == null) {
            failures.add(result.playlist() + ": " + gap + " (at " + clock(result.utcMs(gap.startUs()), testStart)
                + " s of the test)");
          }
        }
      }
      for (Disruption d : disruptions) {
        if (d.what().startsWith("kill")) {
          // The next slice may have been on its way before the kill; the first with media from after
          // the kill shows the live output going on.
          d.liveSliceMs().forEach((sid, ms) -> {
            if (ms < 0 || ms > RESUME_LIMIT.toMillis()) {
              failures.add(d.what() + ": the first slice of " + sid + " with media from after the kill came "
                  + (ms < 0 ? "never" : ms + " ms after it"));
            }
          });
        }
      }
      System.out.printf("chaos: the whole run took %d s%n", (System.currentTimeMillis() - testStart) / 1000);
      assertThat(failures).as("what the chaos broke").isEmpty();
    } catch (Throwable t) {
      throw new AssertionError(t.getMessage() + "\nlogs in " + logs + fleet.handovers() + fleet.logs(25), t);
    } finally {
      fleet.close();
      s3.close();
      broker.close();
    }
  }

  /**
   * Finds the instance of {@code service} that owns the recordings, kills it, measures how soon the
   * next slices are stored, starts a replacement and waits until it is ready and slices flow again.
   */
  private void killOwner(Fleet fleet, Admin admin, StoreWatch watch, Map<String, String> parts, String service,
                         String group, TopicPartition owned) throws Exception {
    ServiceProcess owner = await(service + " owning the recordings").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250)).until(() -> fleet.owner(admin, group, owned), Optional::isPresent)
        .orElseThrow();
    long at = System.currentTimeMillis();
    owner.kill();
    Disruption d = measure("kill -9 " + service, at, at, watch, parts, Duration.ofSeconds(90));
    disruptions.add(d);
    ServiceProcess replacement = fleet.start(service, service + "-c");
    replacement.awaitReady(Duration.ofSeconds(90));
    await(service + " owning the recordings again").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250)).until(() -> fleet.owner(admin, group, owned).isPresent());
    System.out.printf("chaos: killed %s; replacement %s ready %d ms after the kill%n", owner, replacement,
        System.currentTimeMillis() - at);
    awaitSlices(watch, parts.values(), 2, Duration.ofSeconds(60));
  }

  /**
   * Waits until each recording has a slice stored after {@code fromMs} (the kill, or the end of an
   * outage that began at {@code atMs}); the times are from {@code fromMs}.
   */
  private static Disruption measure(String what, long atMs, long fromMs, StoreWatch watch, Map<String, String> parts,
                                    Duration timeout) {
    Map<String, Long> next = new LinkedHashMap<>();
    Map<String, Long> live = new LinkedHashMap<>();
    try {
      await(what + ": slices of every recording stored after it").atMost(timeout).pollInterval(Duration.ofMillis(100))
          .until(() -> parts.values().stream().allMatch(p -> watch.firstLiveSliceAfter(p, fromMs, SLICE_MS)
              .isPresent()));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // Recorded as -1 and reported by the assertions.
    }
    parts.forEach((sid, part) -> {
      next.put(sid, watch.firstSliceAfter(part, fromMs).map(e -> e.getValue() - fromMs).orElse(-1L));
      live.put(sid, watch.firstLiveSliceAfter(part, fromMs, SLICE_MS).map(e -> e.getValue() - fromMs).orElse(-1L));
    });
    Disruption d = new Disruption(what, atMs, fromMs, next, live);
    System.out.printf("chaos: %s: next slice stored after %s ms, first slice of media after it %s ms%n", what,
        next.values(), live.values());
    return d;
  }

  /** Until each recording has {@code count} more slices than now. */
  private static void awaitSlices(StoreWatch watch, java.util.Collection<String> parts, int count, Duration timeout) {
    Map<String, Integer> before = new LinkedHashMap<>();
    parts.forEach(p -> before.put(p, watch.keys(p, ".ts").size()));
    await("slices of every recording").atMost(timeout).pollInterval(Duration.ofMillis(200))
        .until(() -> before.entrySet().stream().allMatch(e -> watch.keys(e.getKey(), ".ts").size()
            >= e.getValue() + count));
  }

  private void report() {
    System.out.println("chaos: time to resume (kill or outage end → next slice stored; → first slice whose media"
        + " is from after it), per recording:");
    for (Disruption d : disruptions) {
      System.out.printf("chaos:   %-24s next slice %s ms, live again %s ms%s%n", d.what(), d.nextSliceMs().values(),
          d.liveSliceMs().values(), d.untilMs() != d.atMs() ? " (from the end of the outage, which lasted "
              + (d.untilMs() - d.atMs()) / 1000 + " s)" : "");
    }
  }

  /**
   * Why a gap is allowed, or null: media is lost only while no ingest instance reads the sources (up
   * to the session timeout + 2 s after the ingest kill) and while the broker is away; what happens
   * before the first kill is not this test's subject (it is reported all the same).
   */
  private String excuse(RecordingCheck.Gap gap, RecordingCheck.Result result) {
    long start = result.utcMs(gap.startUs());
    long end = result.utcMs(gap.endUs());
    if (!disruptions.isEmpty() && end < disruptions.get(0).atMs() - 1000) {
      return "before the first kill: the recording's start, ten JVMs warming up on two cores";
    }
    for (Disruption d : disruptions) {
      // Slice names and so this mapping are good to a frame or two; a second of slack either way.
      // The loss may come in pieces (a hole, then a still picture while the sources reopen): all of
      // them within the session timeout + 2 s after the kill.
      if (d.what().equals("kill -9 ingest") && start >= d.atMs() - 1000
          && end <= d.atMs() + SESSION.toMillis() + 2000 + 1000) {
        return "ingest kill, within the session timeout + 2 s";
      }
      // What was on its way when the broker went (in producers' buffers, open transactions, the jitter
      // buffer: up to the pipeline's latency) is lost with what the sources played while it was away.
      if (d.what().startsWith("broker") && end >= d.atMs() - 3000 && start <= d.untilMs() + 15_000) {
        return "the broker was away";
      }
    }
    return null;
  }

  private static void checkEvents(EventLog events, String sid, List<String> failures) {
    List<RecordingEvent> uploaded = events.of(sid, Uploaded.class);
    List<RecordingEvent> exits = events.of(sid, SessionExit.class);
    System.out.printf("chaos: %s: %d uploaded, %d session_exit, %d events in all%n", sid, uploaded.size(),
        exits.size(), events.of(sid).size());
    if (uploaded.size() != 1) {
      failures.add(sid + ": " + uploaded.size() + " uploaded events, not 1: " + uploaded);
    }
    if (exits.size() != 1) {
      failures.add(sid + ": " + exits.size() + " session_exit events, not 1: " + exits);
    } else if (((SessionExit) exits.get(0).getDetails()).getExitStatus() != 0) {
      failures.add(sid + ": session_exit with exit status " + exits.get(0).getDetails());
    }
  }

  /** Downloads each output of {@code sid} and checks it; {@code outputs}: how many playlists it must have. */
  private static void checkOutputs(ObjectStore store, List<String> keys, String sid, int outputs, Path dir,
                                   List<RecordingCheck.Result> results, List<String> failures) throws Exception {
    List<String> playlists = keys.stream().filter(k -> k.contains(sid) && k.endsWith(".m3u8")).toList();
    if (playlists.size() != outputs) {
      failures.add(sid + ": " + playlists.size() + " playlists, not " + outputs + ": " + playlists);
    }
    for (String key : playlists) {
      Path local = dir.resolve(key.substring(PREFIX.length() + 1));
      store.download(key, local);
      String text = Files.readString(local, StandardCharsets.UTF_8);
      if (!text.contains("#EXT-X-ENDLIST")) {
        failures.add(key + ": no #EXT-X-ENDLIST");
      }
      List<String> named = HlsProbe.entries(local).stream().map(e -> e[0]).toList();
      String base = key.substring(0, key.length() - ".m3u8".length());
      // The output's slices are <playlist base>_<utc>.ts; anything stored that the playlist does not name is extra.
      List<String> stored = keys.stream().filter(k -> k.endsWith(".ts") && k.startsWith(base + "_")
          && k.substring(base.length() + 1).matches("\\d{17}\\.ts")).toList();
      for (String slice : named) {
        if (!stored.contains(PREFIX + "/" + slice)) {
          failures.add(key + " names " + slice + ", which is not in the store");
        } else {
          store.download(PREFIX + "/" + slice, local.resolveSibling(slice));
        }
      }
      List<String> extra = stored.stream().filter(k -> !named.contains(k.substring(PREFIX.length() + 1))).toList();
      if (!extra.isEmpty()) {
        failures.add(key + ": slices in the store that the playlist does not name: " + extra);
      }
      RecordingCheck.Result result = RecordingCheck.check(local);
      results.add(result);
      if (!result.doubled().isEmpty()) {
        failures.add(key + " names slices twice: " + result.doubled());
      }
      if (!result.misfits().isEmpty()) {
        failures.add(key + ": slices out of line with #EXTINF: " + result.misfits());
      }
      if (!result.decodeErrors().isBlank()) {
        failures.add(key + ": decode errors: " + result.decodeErrors());
      }
    }
  }

  /**
   * What a deployment sets for failover: short group sessions, static membership where it exists,
   * a short transaction timeout (a killed instance's open transaction holds back its output's
   * readers until it expires), a short upload backoff cap (uploads resume soon after the store).
   */
  private static Map<String, String> settings(String service, String name, Path logs) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("topics.create", "false");
    s.put("addresses.allow.private", "true");
    switch (service) {
      case "ingest" -> {
        s.put("ingest.group.session.timeout", SESSION.toSeconds() + "s");
        s.put("ingest.group.instance.id", name);
      }
      case "mixer", "segmenter" -> {
        s.put(service + ".group.session.timeout", SESSION.toSeconds() + "s");
        s.put(service + ".transaction.timeout", TRANSACTION.toSeconds() + "s");
        s.put(service + ".group.instance.id", name);
      }
      case "uploader" -> {
        s.put("uploader.group.session.timeout", SESSION.toSeconds() + "s");
        s.put("uploader.group.instance.id", name);
        s.put("uploader.retry.max", "5s");
      }
      case "notifier" -> s.put("notifier.state.dir", logs.resolve(name + "-state").toString());
      default -> throw new IllegalArgumentException(service);
    }
    return s;
  }

  private static JobSpec compositeSpec(String sid, StorageConfig storage) {
    return JobSpec.newBuilder().setJobId(sid).setChannel("chaosmix").setMode(RecordingMode.COMPOSITE)
        .setSubscriptions(Subscriptions.newBuilder().build()).setDecryption(Decryption.newBuilder().build())
        .setSources(List.of(source("1", "testsrc2", 500), source("2", "testsrc", 800)))
        .setTranscoding(Transcoding.newBuilder().setWidth(320).setHeight(240).setFps(15)
            .setLayout(Layout.newBuilder().build()).build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds((int) (SLICE_MS / 1000)).build())
        .setStorage(storage).setMaxIdleTimeSeconds(120).setStartedUtcMs(0).build();
  }

  private static JobSpec individualSpec(String sid, StorageConfig storage) {
    return JobSpec.newBuilder().setJobId(sid).setChannel("chaosind").setMode(RecordingMode.INDIVIDUAL)
        .setSubscriptions(Subscriptions.newBuilder().build()).setDecryption(Decryption.newBuilder().build())
        .setSources(List.of(source("7", "testsrc2", 650)))
        .setFiles(FileConfig.newBuilder().setSliceSeconds((int) (SLICE_MS / 1000)).build())
        .setStorage(storage).setMaxIdleTimeSeconds(120).setStartedUtcMs(0).build();
  }

  /** A live test pattern that changes every frame, with a steady tone. */
  private static Source source(String uid, String pattern, int tone) {
    return Source.newBuilder().setUid(uid).setUrl("lavfi:" + pattern + "=size=320x240:rate=15[out0];"
        + "sine=frequency=" + tone + ":sample_rate=48000[out1]").build();
  }

  private static void send(KafkaProducer<String, SpecificRecord> producer, String sid, Object action)
      throws Exception {
    producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), sid, RecordingCommand.newBuilder().setJobId(sid)
        .setCommandId(UUID.randomUUID().toString()).setIssuedUtcMs(System.currentTimeMillis()).setAction(action)
        .build())).get(60, TimeUnit.SECONDS);
  }

  /** The partition Kafka's default partitioner gives a record keyed {@code key}. */
  private static int partition(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  /** A recording id on the same partition as {@code other}'s: one owner per service for both recordings. */
  private static String samePartition(String other) {
    while (true) {
      String sid = "ind" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      if (partition(sid) == partition(other)) {
        return sid;
      }
    }
  }

  private static String clock(long utcMs, long testStart) {
    return String.format("%.1f", (utcMs - testStart) / 1000.0);
  }
}
