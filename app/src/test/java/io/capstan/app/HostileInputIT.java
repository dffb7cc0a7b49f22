package io.capstan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.app.follow.EventFollower;
import io.capstan.app.wiring.Deployment;
import io.capstan.app.wiring.ServiceCatalog;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.Source;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a careless or hostile caller can do to the REST API of a whole deployment, on a real broker:
 * every input is refused with the answer that says why (400 naming the field, 401, 413), nothing is
 * written outside the storage root, an ordinary recording started alongside is made; a start that
 * ingest refuses ends visibly and frees its name; slow clients do not stop the front door.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HostileInputIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("key:secret".getBytes(StandardCharsets.UTF_8));
  private static final String MIX_SOURCE = "{\"uid\":\"1\",\"url\":\"lavfi:testsrc2=size=320x240:rate=15[out0];"
      + "sine=frequency=500:sample_rate=48000[out1]\"}";

  @TempDir
  static Path temp;
  private static Path storage;
  private static Deployment deployment;
  private static String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void deploy() throws Exception {
    storage = Files.createDirectories(temp.resolve("storage"));
    deployment = Deployment.start(Config.of(Map.of(
        Config.BOOTSTRAP.name(), KafkaBroker.bootstrap(),
        "uploader.local.root", storage.toString(),
        "gateway.auth", "key:secret",
        "gateway.rate.limit", "1000",
        // The front door is measured here, not how fast ingest takes a job.
        "gateway.start.wait", "500ms",
        "notifier.state.dir", temp.resolve("state").toString())), ServiceCatalog.all(), 0);
    await().atMost(Duration.ofSeconds(60)).until(deployment::ready);
    base = "http://127.0.0.1:" + deployment.httpPort() + "/v1/apps/app1/cloud_recording/";
  }

  @AfterAll
  static void undeploy() {
    if (deployment != null) {
      deployment.close();
    }
  }

  /** One hostile input: the start body (or a raw body), and the answer expected. */
  private record Case(String name, String mode, String body, int status, String reason) {
  }

  private static String start(String cname, String request) {
    return "{\"cname\":\"" + cname + "\",\"uid\":\"527841\",\"clientRequest\":" + request + "}";
  }

  private static String mix(String cname, String extra) {
    return start(cname, "{\"recordingConfig\":{\"maxIdleTime\":30" + extra + "},"
        + "\"storageConfig\":{\"vendor\":99,\"region\":0,\"bucket\":\"bad\",\"accessKey\":\"\",\"secretKey\":\"\"},"
        + "\"sources\":[" + MIX_SOURCE + "]}");
  }

  private static String withSources(String cname, String mode, String sources) {
    return start(cname, "{\"recordingConfig\":{\"maxIdleTime\":30},"
        + "\"storageConfig\":{\"vendor\":99,\"region\":0,\"bucket\":\"bad\",\"accessKey\":\"\",\"secretKey\":\"\"},"
        + "\"sources\":[" + sources + "]}");
  }

  private static String source(String uid, String url) {
    return "{\"uid\":\"" + uid.replace("\\", "\\\\") + "\",\"url\":\"" + url + "\"}";
  }

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("short SRT secret", "mix", mix("c1", ",\"decryptionMode\":1,\"secret\":\"abc\""), 400,
        "clientRequest.recordingConfig.secret: must be 10 to 79 characters"));
    cases.add(new Case("blank cname", "mix", mix(" ", ""), 400, "cname: must not be empty"));
    cases.add(new Case("backslash in a uid", "individual", withSources("c3", "individual",
        source("a\\b", "lavfi:testsrc2[out0]")), 400, "clientRequest.sources[0].uid: only letters"));
    cases.add(new Case("slash in a uid", "individual", withSources("c3b", "individual",
        source("a/b", "lavfi:testsrc2[out0]")), 400, "clientRequest.sources[0].uid"));
    cases.add(new Case("lavfi movie", "mix", withSources("c4", "mix", source("1", "lavfi:movie=/etc/passwd[out0]")),
        400, "clientRequest.sources[0].url: lavfi: filter 'movie' is not allowed"));
    cases.add(new Case("lavfi amovie", "mix", withSources("c5", "mix",
        source("1", "lavfi:testsrc2[out0];amovie=http://10.0.0.1/a.mp3[out1]")), 400, "'amovie' is not allowed"));
    cases.add(new Case("lavfi drawtext", "mix", withSources("c6", "mix",
        source("1", "lavfi:testsrc2,drawtext=textfile=/etc/passwd[out0]")), 400, "'drawtext' is not allowed"));
    cases.add(new Case("file URL", "mix", withSources("c7", "mix", source("1", "file:///etc/passwd")), 400,
        "clientRequest.sources[0].url: file sources are disabled"));
    cases.add(new Case("absolute path", "mix", withSources("c8", "mix", source("1", "/etc/hostname")), 400,
        "file sources are disabled"));
    cases.add(new Case("loopback RTMP", "mix", withSources("c9", "mix", source("1", "rtmp://127.0.0.1/live/x")), 400,
        "clientRequest.sources[0].url: host '127.0.0.1' is a loopback, link-local or private address"));
    cases.add(new Case("cloud metadata", "mix", withSources("c10", "mix",
        source("1", "http://169.254.169.254/latest/meta-data/x.m3u8")), 400, "link-local"));
    cases.add(new Case("private SRT", "mix", withSources("c11", "mix", source("1", "srt://10.0.0.5:9000")), 400,
        "private address"));
    cases.add(new Case("IPv6 loopback", "mix", withSources("c12", "mix", source("1", "rtsp://[::1]:554/x")), 400,
        "private address"));
    cases.add(new Case("decimal IPv4", "mix", withSources("c13", "mix", source("1", "rtmp://2130706433/live")), 400,
        "non-standard form"));
    cases.add(new Case("localhost by name", "mix", withSources("c14", "mix", source("1", "rtmp://localhost/live")), 400,
        "private address"));
    cases.add(new Case("background image on loopback", "mix", start("c15", "{\"recordingConfig\":{\"transcodingConfig\":"
        + "{\"width\":320,\"height\":240,\"backgroundImage\":\"http://127.0.0.1:9/bg.png\"}},"
        + "\"sources\":[" + MIX_SOURCE + "]}"), 400, "backgroundImage: host '127.0.0.1'"));
    cases.add(new Case("webhook on loopback", "mix", start("c16", "{\"recordingConfig\":{},"
        + "\"notificationConfig\":{\"url\":\"http://127.0.0.1:9/hook\"},\"sources\":[" + MIX_SOURCE + "]}"), 400,
        "clientRequest.notificationConfig.url: host '127.0.0.1'"));
    cases.add(new Case("storage endpoint on a private address", "mix", start("c17", "{\"recordingConfig\":{},"
        + "\"storageConfig\":{\"vendor\":1,\"region\":0,\"bucket\":\"b\",\"accessKey\":\"a\",\"secretKey\":\"s\","
        + "\"endpoint\":\"http://192.168.1.10:9000\"},\"sources\":[" + MIX_SOURCE + "]}"), 400,
        "clientRequest.storageConfig.endpoint: host '192.168.1.10'"));
    cases.add(new Case("prefix climbing up", "mix", start("c18", "{\"recordingConfig\":{},"
        + "\"storageConfig\":{\"vendor\":99,\"region\":0,\"bucket\":\"b\",\"accessKey\":\"\",\"secretKey\":\"\","
        + "\"fileNamePrefix\":[\"..\",\"etc\"]},\"sources\":[" + MIX_SOURCE + "]}"), 400,
        "clientRequest.storageConfig.fileNamePrefix[0]"));
    cases.add(new Case("prefix with a slash", "mix", start("c19", "{\"recordingConfig\":{},"
        + "\"storageConfig\":{\"vendor\":99,\"region\":0,\"bucket\":\"b\",\"accessKey\":\"\",\"secretKey\":\"\","
        + "\"fileNamePrefix\":[\"a/b\"]},\"sources\":[" + MIX_SOURCE + "]}"), 400,
        "clientRequest.storageConfig.fileNamePrefix[0]"));
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 18; i++) {
      many.append(i == 0 ? "" : ",").append(source("u" + i, "lavfi:testsrc2[out0]"));
    }
    cases.add(new Case("18 mixed sources", "mix", withSources("c20", "mix", many.toString()), 400,
        "clientRequest.sources: at most 17 sources"));
    cases.add(new Case("FAST with an endless source", "mix", start("c21", "{\"recordingConfig\":{},\"pacing\":\"fast\","
        + "\"sources\":[" + MIX_SOURCE + "]}"), 400, "clientRequest.pacing: FAST needs sources that end"));
    cases.add(new Case("malformed JSON", "mix", "{\"cname\": \"c22\", \"uid\": ", 400, "body: not valid JSON"));
    cases.add(new Case("not an object", "mix", "[1, 2, 3]", 400, "body: must be a JSON object"));
    cases.add(new Case("empty body", "mix", "", 400, "body: missing"));
    cases.add(new Case("deeply nested", "mix", "{\"cname\":\"c23\",\"uid\":\"527841\",\"clientRequest\":"
        + "{\"a\":".repeat(200) + "1" + "}".repeat(200) + "}", 400, "body: not valid JSON"));
    cases.add(new Case("duplicate keys", "mix", "{\"cname\":\"c24\",\"cname\":\"other\",\"uid\":\"527841\","
        + "\"clientRequest\":{\"recordingConfig\":{}}}", 400, "Duplicate field 'cname'"));
    cases.add(new Case("uid as a number", "mix", "{\"cname\":\"c25\",\"uid\":527841,\"clientRequest\":"
        + "{\"recordingConfig\":{}}}", 400, "uid: must be a string of digits"));
    cases.add(new Case("maxIdleTime as a string", "mix", start("c26", "{\"recordingConfig\":{\"maxIdleTime\":\"long\"}}"),
        400, "clientRequest.recordingConfig.maxIdleTime"));
    cases.add(new Case("slash in a cname", "mix", mix("a/b", ""), 400, "cname: only letters"));
    cases.add(new Case("newline in a cname", "mix", mix("a\\nb", ""), 400, "cname"));
    cases.add(new Case("right-to-left override in a cname", "mix", mix("a\\u202Eb", ""), 400, "cname"));
    cases.add(new Case("web page on loopback", "web", start("c27", "{\"extensionServiceConfig\":{\"errorHandlePolicy\":"
        + "\"error_abort\",\"extensionServices\":[{\"serviceName\":\"web_recorder_service\",\"errorHandlePolicy\":"
        + "\"error_abort\",\"serviceParam\":{\"url\":\"http://127.0.0.1:8080/admin\",\"audioProfile\":0,"
        + "\"videoWidth\":1280,\"videoHeight\":720,\"maxRecordingHour\":1}}]}}"), 400,
        "host '127.0.0.1'"));
    return cases;
  }

  @Test
  void hostileInputsAreRefusedAndAnOrdinaryRecordingAlongsideIsMade() throws Exception {
    String cname = "ordinary" + UUID.randomUUID().toString().substring(0, 6);
    String rid = acquire(cname, null);
    HttpResponse<String> started = post(base + "resourceid/" + rid + "/mode/mix/start", start(cname,
        "{\"recordingConfig\":{\"transcodingConfig\":{\"width\":320,\"height\":240,\"fps\":15,\"mixedVideoLayout\":1}},"
            + "\"recordingFileConfig\":{\"avFileType\":[\"hls\"],\"sliceSeconds\":2},"
            + "\"storageConfig\":{\"vendor\":99,\"region\":0,\"bucket\":\"ok\",\"accessKey\":\"\",\"secretKey\":\"\"},"
            + "\"sources\":[" + MIX_SOURCE + "]}"), AUTH);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    String sid = JSON.readTree(started.body()).path("sid").asText();

    List<Case> cases = cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
    for (Case c : cases) {
      String rcname = c.name().startsWith("blank") ? " " : "probe";
      String scene = c.mode().equals("web") ? ",\"clientRequest\":{\"scene\":1}" : "";
      String probeRid = acquireFor(c.body(), scene);
      HttpResponse<String> answer = post(base + "resourceid/" + (probeRid == null ? acquire(rcname, null) : probeRid)
          + "/mode/" + c.mode() + "/start", c.body(), AUTH);
      assertThat(answer.statusCode()).as(c.name() + ": " + answer.body()).isEqualTo(c.status());
      assertThat(JSON.readTree(answer.body()).path("code").asInt()).as(c.name()).isEqualTo(2);
      assertThat(JSON.readTree(answer.body()).path("reason").asText()).as(c.name()).contains(c.reason());
    }

    // Refused before any work: credentials, size, unknown resource.
    assertThat(post(base + "acquire", "{}", null).statusCode()).isEqualTo(401);
    assertThat(post(base + "acquire", "{}", "Basic " + Base64.getEncoder().encodeToString("key:wrong".getBytes(
        StandardCharsets.UTF_8))).statusCode()).isEqualTo(401);
    // A body announced at 2 MiB is refused on its headers: the answer comes before the client sends it.
    try (Socket socket = new Socket("127.0.0.1", deployment.httpPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(("POST /v1/apps/app1/cloud_recording/acquire HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: " + AUTH + "\r\nContent-Type: application/json\r\nContent-Length: " + (2 * 1024 * 1024)
          + "\r\n\r\n{\"cname\":\"").getBytes(StandardCharsets.US_ASCII));
      String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(statusLine).isEqualTo("HTTP/1.1 413");
    }
    HttpResponse<String> garbage = post(base + "resourceid/garbage/mode/mix/start", mix("c30", ""), AUTH);
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(garbage.body()).path("code").asInt()).isEqualTo(1001);

    // The ordinary recording goes on and is stored; nothing else was written anywhere under the temp folder.
    Path dir = storage.resolve("ok");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(dir) && listed(dir).anyMatch(
        p -> p.toString().endsWith(".ts")));
    HttpResponse<String> stopped = post(base + "resourceid/" + rid + "/sid/" + sid + "/mode/mix/stop",
        "{\"cname\":\"" + cname + "\",\"uid\":\"527841\",\"clientRequest\":{}}", AUTH);
    Path playlist = dir.resolve(sid + "_" + cname + ".m3u8");
    assertStoppedWithItsFiles(stopped, playlist);
    HlsProbe.Slice first = HlsProbe.decode(dir.resolve(HlsProbe.entries(playlist).get(0)[0]), 0);
    assertThat(first.videoFrames()).isPositive();
    assertThat(first.audioSamples()).isPositive();
    try (Stream<Path> top = Files.list(storage)) {
      assertThat(top.map(p -> p.getFileName().toString())).containsOnly("ok");
    }
    try (Stream<Path> top = Files.list(temp)) {
      assertThat(top.map(p -> p.getFileName().toString())).containsOnly("storage", "state");
    }
  }

  @Test
  void aStartIngestRefusesEndsVisiblyAndTheSameCnameAndUidRecordAfterIt() throws Exception {
    String cname = "locked" + UUID.randomUUID().toString().substring(0, 6);
    String refused = UUID.randomUUID().toString().replace("-", "");
    // Straight on capstan.commands, as a producer that skips the gateway would: ingest's own check refuses it.
    JobSpec bad = JobSpec.newBuilder().setJobId(refused).setChannel(cname).setRecorderUid("527841")
        .setMode(RecordingMode.COMPOSITE).setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().setMode(1).setSecret("abc").build())
        .setSources(List.of(Source.newBuilder().setUid("1").setUrl("srt://media.example:9000").build()))
        .setTranscoding(Transcoding.newBuilder().setWidth(320).setHeight(240).setLayout(Layout.newBuilder().build())
            .build())
        .setFiles(FileConfig.newBuilder().build())
        .setStorage(StorageConfig.newBuilder().setVendor(99).setBucket("locked").build())
        .setStartedUtcMs(0).build();
    AtomicReference<String> error = new AtomicReference<>();
    AtomicInteger exitStatus = new AtomicInteger(-1);
    try (EventFollower events = new EventFollower(deployment.context().kafka());
         KafkaProducer<String, SpecificRecord> producer = deployment.context().kafka().producer("hostile")) {
      producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), refused, RecordingCommand.newBuilder()
          .setJobId(refused).setCommandId("c1").setIssuedUtcMs(System.currentTimeMillis())
          .setAction(StartCommand.newBuilder().setSpec(bad).build()).build())).get(10, TimeUnit.SECONDS);
      assertThat(events.follow(refused, Duration.ofSeconds(60), e -> {
        if (e.getDetails() instanceof RecordingError err) {
          error.set(err.getErrorMsg());
        }
        if (e.getDetails() instanceof SessionExit exit) {
          exitStatus.set(exit.getExitStatus());
          return true;
        }
        return false;
      }, () -> { })).isTrue();
    }
    assertThat(error.get()).startsWith("decryption.secret: must be 10 to 79 characters");
    assertThat(exitStatus.get()).isEqualTo(1);
    String anyRid = acquire(cname, null);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> query = get(base + "resourceid/" + anyRid + "/sid/" + refused + "/mode/mix/query");
      assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
      assertThat(JSON.readTree(query.body()).at("/serverResponse/status").asInt()).isEqualTo(20);
    });

    // The same cname and recorder uid are free: a start is taken and records.
    HttpResponse<String> started = post(base + "resourceid/" + anyRid + "/mode/mix/start", start(cname,
        "{\"recordingConfig\":{\"transcodingConfig\":{\"width\":320,\"height\":240}},"
            + "\"recordingFileConfig\":{\"avFileType\":[\"hls\"],\"sliceSeconds\":2},"
            + "\"storageConfig\":{\"vendor\":99,\"region\":0,\"bucket\":\"ok\",\"accessKey\":\"\",\"secretKey\":\"\"},"
            + "\"sources\":[" + MIX_SOURCE + "]}"), AUTH);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    String sid = JSON.readTree(started.body()).path("sid").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(storage.resolve("ok"))
        && listed(storage.resolve("ok")).anyMatch(p -> p.getFileName().toString().startsWith(sid + "_")
        && p.toString().endsWith(".ts")));
    HttpResponse<String> stopped = post(base + "resourceid/" + anyRid + "/sid/" + sid + "/mode/mix/stop",
        "{\"cname\":\"" + cname + "\",\"uid\":\"527841\",\"clientRequest\":{}}", AUTH);
    assertStoppedWithItsFiles(stopped, storage.resolve("ok").resolve(sid + "_" + cname + ".m3u8"));
  }

  /**
   * A synchronous stop of a recording that has media: 200 with uploadingStatus "uploaded" when its
   * uploads finished within gateway.stop.wait, else 206 (Agora's answer) with no error code; either
   * way its playlist is then stored whole. On a busy machine the wait may run out: both are right.
   */
  private static void assertStoppedWithItsFiles(HttpResponse<String> stopped, Path playlist) throws Exception {
    JsonNode answer = JSON.readTree(stopped.body());
    assertThat(stopped.statusCode()).as(stopped.body()).isIn(200, 206);
    String uploading = answer.at("/serverResponse/uploadingStatus").asText();
    if (stopped.statusCode() == 200) {
      assertThat(uploading).as(stopped.body()).isEqualTo("uploaded");
    } else {
      assertThat(answer.has("code")).as("206 for the stop wait, not for 'no recorded data': " + stopped.body())
          .isFalse();
      assertThat(uploading).as(stopped.body()).isNotEqualTo("uploaded");
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(playlist)
        && Files.readString(playlist).contains("#EXT-X-ENDLIST"));
  }

  @Test
  void fiftyClientsTricklingHeadersDoNotStopHealthOrTheApi() throws Exception {
    int port = deployment.httpPort();
    List<Socket> slow = new ArrayList<>();
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < 50; i++) {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(("POST /v1/apps/app1/cloud_recording/acquire HTTP/1.1\r\nHost: x\r\n"
            + "X-Slow: ").getBytes(StandardCharsets.US_ASCII));
        slow.add(socket);
      }
      trickle.scheduleAtFixedRate(() -> slow.forEach(s -> {
        try {
          OutputStream out = s.getOutputStream();
          out.write('a');
          out.flush();
        } catch (IOException closedByTheServer) {
          // the header timeout ended it: what should happen
        }
      }), 0, 200, TimeUnit.MILLISECONDS);

      HttpClient quick = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      HttpResponse<String> health = quick.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
          .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);

      String cname = "busy" + UUID.randomUUID().toString().substring(0, 6);
      String rid = acquire(cname, quick);
      HttpResponse<String> started = quick.send(HttpRequest.newBuilder(URI.create(base + "resourceid/" + rid
              + "/mode/mix/start")).timeout(Duration.ofSeconds(1)).header("Authorization", AUTH)
          .POST(HttpRequest.BodyPublishers.ofString(start(cname, "{\"recordingConfig\":{},"
              + "\"storageConfig\":{\"vendor\":99,\"region\":0,\"bucket\":\"ok\",\"accessKey\":\"\",\"secretKey\":\"\"},"
              + "\"sources\":[" + MIX_SOURCE + "]}"))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
      String sid = JSON.readTree(started.body()).path("sid").asText();
      // Stopped at once: 206 (no recorded data) unless its first media already arrived.
      assertThat(post(base + "resourceid/" + rid + "/sid/" + sid + "/mode/mix/stop", "{\"cname\":\"" + cname
          + "\",\"uid\":\"527841\",\"clientRequest\":{\"async_stop\":true}}", AUTH).statusCode()).isIn(200, 206);

      // The header timeout (10 s) ends the tricklers: at most an error answer, then the end of the stream.
      Socket first = slow.get(0);
      first.setSoTimeout(20_000);
      String last = new String(first.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(last).satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 4"));
    } finally {
      trickle.shutdownNow();
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void theRateLimitCountsFailedAuthenticationAndEveryAppid() throws Exception {
    try (Deployment gateway = Deployment.start(Config.of(Map.of(
        Config.BOOTSTRAP.name(), KafkaBroker.bootstrap(),
        "gateway.auth", "key:secret",
        "gateway.rate.limit", "1")), ServiceCatalog.select("gateway"), 0)) {
      // One request a second: a guess spends it, whichever appid the path names.
      String wrong = "Basic " + Base64.getEncoder().encodeToString("key:guess".getBytes(StandardCharsets.UTF_8));
      String api = "http://127.0.0.1:" + gateway.httpPort() + "/v1/apps/";
      assertThat(post(api + "app1/cloud_recording/acquire", "{}", wrong).statusCode()).isEqualTo(401);
      assertThat(post(api + "app2/cloud_recording/acquire", "{}", wrong).statusCode()).isEqualTo(429);
      HttpResponse<String> limited = post(api + "fresh/cloud_recording/acquire", "{\"cname\":\"r\",\"uid\":\"1\"}",
          AUTH);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(JSON.readTree(limited.body()).path("message").asText()).isEqualTo("API rate limit exceeded");
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + gateway.httpPort() + "/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).as("probes are not rate limited").isEqualTo(200);
    }
  }

  /** The resourceId for a case's own cname and uid, or null when the body has none to read. */
  private String acquireFor(String body, String scene) throws Exception {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject() || !node.path("cname").isTextual() || !node.path("uid").isTextual()) {
        return null;
      }
      HttpResponse<String> answer = post(base + "acquire", "{\"cname\":" + JSON.writeValueAsString(node.path("cname")
          .asText()) + ",\"uid\":\"527841\"" + scene + "}", AUTH);
      return answer.statusCode() == 200 ? JSON.readTree(answer.body()).path("resourceId").asText() : null;
    } catch (IOException notJson) {
      return null;
    }
  }

  private String acquire(String cname, HttpClient client) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "acquire")).header("Authorization", AUTH)
        .timeout(Duration.ofSeconds(client == null ? 30 : 1))
        .POST(HttpRequest.BodyPublishers.ofString("{\"cname\":\"" + cname + "\",\"uid\":\"527841\"}")).build();
    HttpResponse<String> answer = (client == null ? http : client).send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body()).path("resourceId").asText();
  }

  private HttpResponse<String> post(String url, String body, String auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", AUTH).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Stream<Path> listed(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList().stream();
    }
  }
}
