package io.capstan.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.http.HealthServer;
import io.capstan.runtime.kafka.TopicAdmin;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StopCommand;
import io.capstan.schemas.UpdateCommand;
import io.capstan.schemas.UpdateLayoutCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST API over real HTTP on a real broker: what an application written against the hosted
 * product sends, and what it gets back; the commands it causes on capstan.commands; the answers
 * built from the JobStatus the notifier would write on capstan.status.
 */
class GatewayIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CNAME = "httpClient463224";
  private static final String UID = "527841";
  private static final String AUTH = "Basic " + Base64.getEncoder()
      .encodeToString("customer-key:customer-secret".getBytes(StandardCharsets.UTF_8));

  private static ServiceContext context;
  private static GatewayService gateway;
  private static HealthServer http;
  private static KafkaProducer<String, SpecificRecord> producer;
  private static KafkaConsumer<String, RecordingCommand> commands;
  private static final List<RecordingCommand> seen = new ArrayList<>();
  private static final HttpClient client = HttpClient.newHttpClient();
  private static String base;

  @BeforeAll
  static void startGateway() throws Exception {
    io.capstan.schemas.serde.AvroTrust.install();
    String bootstrap = KafkaBroker.bootstrap();
    TopicAdmin.ensure(Map.of("bootstrap.servers", bootstrap), Topics.ALL, 3, (short) 1);
    context = ServiceContext.of(Config.of(Map.of(
        "kafka.bootstrap.servers", bootstrap,
        "gateway.auth", "customer-key:customer-secret",
        "gateway.resource.secret", "a-secret-every-gateway-shares",
        "gateway.stop.wait", "60s")));
    // TopicView gives up when a topic it reads has no partitions in its metadata yet (just created).
    try (KafkaConsumer<String, JobStatus> probe = context.kafka().consumer(Topics.STATUS, null, "gateway-it-probe")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> !probe.partitionsFor(Topics.STATUS.name()).isEmpty()
          && !probe.partitionsFor(Topics.JOBS.name()).isEmpty() && !probe.partitionsFor(Topics.COMMANDS.name()).isEmpty());
    }
    gateway = new GatewayService(context);
    http = new HealthServer("127.0.0.1", 0, gateway, context.metrics());
    gateway.mount(http);
    gateway.start();
    http.start();
    base = "http://127.0.0.1:" + http.port() + "/v1/apps/capstan-app/cloud_recording/";
    producer = context.kafka().producer("gateway-it");
    commands = context.kafka().consumer(Topics.COMMANDS, null, "gateway-it-commands");
    List<TopicPartition> partitions = commands.partitionsFor(Topics.COMMANDS.name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    commands.assign(partitions);
    commands.seekToBeginning(partitions);
    await().atMost(Duration.ofSeconds(60)).until(gateway::ready);
  }

  @AfterAll
  static void stopGateway() {
    http.close();
    gateway.close();
    producer.close();
    commands.close();
  }

  @Test
  void aMixRecordingThroughTheRestApi() throws Exception {
    // acquire
    JsonNode acquired = ok(post("acquire", """
        {"cname": "httpClient463224", "uid": "527841", "clientRequest": {"resourceExpiredHour": 24, "scene": 0}}
        """));
    assertThat(fieldNames(acquired)).containsExactly("cname", "uid", "resourceId");
    String rid = acquired.get("resourceId").asText();

    // start: mix, transcodingConfig, local storage (vendor 99)
    String startBody = """
        {
          "cname": "httpClient463224",
          "uid": "527841",
          "clientRequest": {
            "token": "",
            "recordingConfig": {
              "maxIdleTime": 30,
              "streamTypes": 2,
              "audioProfile": 1,
              "channelType": 0,
              "videoStreamType": 0,
              "transcodingConfig": {
                "height": 360,
                "width": 640,
                "bitrate": 800,
                "fps": 15,
                "mixedVideoLayout": 1,
                "backgroundColor": "#FF0000"
              },
              "subscribeAudioUids": ["#allstream#"],
              "subscribeVideoUids": ["#allstream#"]
            },
            "recordingFileConfig": {"avFileType": ["hls"]},
            "storageConfig": {
              "vendor": 99,
              "region": 0,
              "bucket": "recordings",
              "accessKey": "unused",
              "secretKey": "unused",
              "fileNamePrefix": ["directory1", "directory2"]
            }
          }
        }
        """;
    JsonNode started = ok(post("resourceid/" + rid + "/mode/mix/start", startBody));
    assertThat(fieldNames(started)).containsExactly("cname", "uid", "resourceId", "sid");
    String sid = started.get("sid").asText();
    assertThat(sid).matches("[0-9a-f]{32}");
    assertThat(started.get("cname").asText()).isEqualTo(CNAME);
    assertThat(started.get("uid").asText()).isEqualTo(UID);
    assertThat(started.get("resourceId").asText()).isEqualTo(rid);

    JobSpec spec = ((StartCommand) command(sid, StartCommand.class).getAction()).getSpec();
    assertThat(spec.getJobId()).isEqualTo(sid);
    assertThat(spec.getAppId()).isEqualTo("capstan-app");
    assertThat(spec.getChannel()).isEqualTo(CNAME);
    assertThat(spec.getRecorderUid()).isEqualTo(UID);
    assertThat(spec.getMode()).isEqualTo(RecordingMode.COMPOSITE);
    assertThat(spec.getAudioProfile()).isEqualTo(1);
    assertThat(spec.getSubscriptions().getVideoUids()).isNull();
    assertThat(spec.getTranscoding().getWidth()).isEqualTo(640);
    assertThat(spec.getTranscoding().getHeight()).isEqualTo(360);
    assertThat(spec.getTranscoding().getBitrateKbps()).isEqualTo(800);
    assertThat(spec.getTranscoding().getLayout().getMixedVideoLayout()).isEqualTo(1);
    assertThat(spec.getStorage().getVendor()).isEqualTo(99);
    assertThat(spec.getStorage().getBucket()).isEqualTo("recordings");
    assertThat(spec.getStorage().getFileNamePrefix()).containsExactly("directory1", "directory2");

    // The same resourceId again: already started.
    HttpResponse<String> again = post("resourceid/" + rid + "/mode/mix/start", startBody);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(json(again).get("code").asInt()).isEqualTo(7);

    // query, from the status the notifier folds
    String playlist = sid + "_" + CNAME + ".m3u8";
    long sliceStart = 1_795_510_381_000L;
    FileEntry playlistEntry = FileEntry.newBuilder().setFileName(playlist).setTrackType("audio_and_video").setUid("0")
        .setMixedAllUser(true).setIsPlayable(true).setSliceStartTime(sliceStart).build();
    writeStatus(status(sid, rid, 5, sliceStart, List.of(playlistEntry), "unknown", false));
    await().atMost(Duration.ofSeconds(30)).until(() -> json(get("resourceid/" + rid + "/sid/" + sid + "/mode/mix/query"))
        .at("/serverResponse/status").asInt() == 5);
    HttpResponse<String> query = get("resourceid/" + rid + "/sid/" + sid + "/mode/mix/query");
    assertThat(query.statusCode()).isEqualTo(200);
    assertThat(json(query)).isEqualTo(JSON.readTree("""
        {"cname": "httpClient463224", "uid": "527841", "resourceId": "%s", "sid": "%s",
         "serverResponse": {"status": 5, "fileListMode": "string", "fileList": "%s", "sliceStartTime": %d}}
        """.formatted(rid, sid, playlist, sliceStart)));

    // updateLayout
    JsonNode layoutAnswer = ok(post("resourceid/" + rid + "/sid/" + sid + "/mode/mix/updateLayout", """
        {
          "cname": "httpClient463224",
          "uid": "527841",
          "clientRequest": {
            "maxResolutionUid": "123",
            "mixedVideoLayout": 2,
            "backgroundColor": "#0000FF"
          }
        }
        """));
    assertThat(fieldNames(layoutAnswer)).containsExactly("cname", "uid", "resourceId", "sid");
    UpdateLayoutCommand layout = (UpdateLayoutCommand) command(sid, UpdateLayoutCommand.class).getAction();
    assertThat(layout.getLayout().getMixedVideoLayout()).isEqualTo(2);
    assertThat(layout.getLayout().getMaxResolutionUid()).isEqualTo("123");
    assertThat(layout.getLayout().getBackgroundColor()).isEqualTo("#0000FF");

    // update the subscriptions
    JsonNode updateAnswer = ok(post("resourceid/" + rid + "/sid/" + sid + "/mode/mix/update", """
        {
          "cname": "httpClient463224",
          "uid": "527841",
          "clientRequest": {
            "streamSubscribe": {
              "audioUidList": {"subscribeAudioUids": ["123", "456"]},
              "videoUidList": {"unsubscribeVideoUids": ["789"]}
            }
          }
        }
        """));
    assertThat(updateAnswer.get("sid").asText()).isEqualTo(sid);
    UpdateCommand update = (UpdateCommand) command(sid, UpdateCommand.class).getAction();
    assertThat(update.getSubscriptions().getAudioUids()).containsExactly("123", "456");
    assertThat(update.getSubscriptions().getVideoUids()).isNull();
    assertThat(update.getSubscriptions().getUnsubscribeVideoUids()).containsExactly("789");

    // stop, waiting for the uploads
    CompletableFuture<HttpResponse<String>> stop = client.sendAsync(request("resourceid/" + rid + "/sid/" + sid
        + "/mode/mix/stop").POST(HttpRequest.BodyPublishers.ofString("""
        {"cname": "httpClient463224", "uid": "527841", "clientRequest": {"async_stop": false}}
        """)).build(), HttpResponse.BodyHandlers.ofString());
    StopCommand stopCommand = (StopCommand) command(sid, StopCommand.class).getAction();
    assertThat(stopCommand.getAsync()).isFalse();
    assertThat(stop).isNotDone();
    writeStatus(status(sid, rid, 6, sliceStart, List.of(playlistEntry), "unknown", false));
    writeStatus(status(sid, rid, 8, sliceStart, List.of(playlistEntry), "uploaded", true));
    HttpResponse<String> stopped = stop.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(stopped.statusCode()).isEqualTo(200);
    assertThat(json(stopped)).isEqualTo(JSON.readTree("""
        {"cname": "httpClient463224", "uid": "527841", "resourceId": "%s", "sid": "%s",
         "serverResponse": {"fileListMode": "string", "fileList": "%s", "uploadingStatus": "uploaded"}}
        """.formatted(rid, sid, playlist)));

    // Over: query and stop answer as for an unknown sid.
    HttpResponse<String> after = get("resourceid/" + rid + "/sid/" + sid + "/mode/mix/query");
    assertThat(after.statusCode()).isEqualTo(404);
    assertThat(json(after)).isEqualTo(JSON.readTree("{\"code\": 404, \"reason\": \"failed to find worker\"}"));
  }

  @Test
  void wrongOrMissingCredentialsAre401() throws Exception {
    String body = "{\"cname\": \"room\", \"uid\": \"1\", \"clientRequest\": {}}";
    HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(URI.create(base + "acquire"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("customer-key:guess".getBytes()))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong).get("code").asInt()).isEqualTo(401);
    assertThat(json(wrong).get("reason").asText()).isNotEmpty();
    // its body was never read: the client is told not to send another request down this connection
    assertThat(wrong.headers().firstValue("Connection")).hasValue("close");
    HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create(base + "acquire"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
  }

  @Test
  void malformedOrInvalidBodiesAre400WithAReason() throws Exception {
    HttpResponse<String> malformed = post("acquire", "{\"cname\": \"room\", \"uid\": ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).get("code").asInt()).isEqualTo(2);
    assertThat(json(malformed).get("reason").asText()).startsWith("body: not valid JSON");

    String rid = ok(post("acquire", "{\"cname\": \"room2\", \"uid\": \"2\", \"clientRequest\": {}}"))
        .get("resourceId").asText();
    HttpResponse<String> invalid = post("resourceid/" + rid + "/mode/mix/start", """
        {"cname": "room2", "uid": "2", "clientRequest": {"recordingConfig": {"transcodingConfig": {"width": 4000}}}}
        """);
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(json(invalid)).isEqualTo(JSON.readTree("""
        {"code": 2, "reason": "clientRequest.recordingConfig.transcodingConfig.width: must be between 16 and 1920, got 4000"}
        """));

    HttpResponse<String> garbageRid = post("resourceid/not-ours/mode/mix/start", """
        {"cname": "room2", "uid": "2", "clientRequest": {"recordingConfig": {}}}""");
    assertThat(garbageRid.statusCode()).isEqualTo(400);
    assertThat(json(garbageRid).get("code").asInt()).isEqualTo(1001);
  }

  @Test
  void unknownSidIs404() throws Exception {
    String rid = ok(post("acquire", "{\"cname\": \"room3\", \"uid\": \"3\", \"clientRequest\": {}}"))
        .get("resourceId").asText();
    HttpResponse<String> query = get("resourceid/" + rid + "/sid/0123456789abcdef0123456789abcdef/mode/mix/query");
    assertThat(query.statusCode()).isEqualTo(404);
    assertThat(json(query)).isEqualTo(JSON.readTree("{\"code\": 404, \"reason\": \"failed to find worker\"}"));
    HttpResponse<String> stop = post("resourceid/" + rid + "/sid/0123456789abcdef0123456789abcdef/mode/mix/stop",
        "{\"cname\": \"room3\", \"uid\": \"3\", \"clientRequest\": {}}");
    assertThat(stop.statusCode()).isEqualTo(404);
    assertThat(json(stop).get("reason").asText()).isEqualTo("failed to find worker");
  }

  @Test
  void healthIsServedOnTheSamePort() throws Exception {
    HttpResponse<String> health = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + http.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }

  private static JobStatus status(String sid, String rid, int status, long sliceStart, List<FileEntry> files,
                                  String uploading, boolean exited) {
    return JobStatus.newBuilder().setJobId(sid).setChannel(CNAME).setRecorderUid(UID).setResourceId(rid)
        .setMode(RecordingMode.COMPOSITE).setStatus(status).setFileList(files).setUploadingStatus(uploading)
        .setSliceStartTime(sliceStart).setUpdatedUtcMs(System.currentTimeMillis()).setExited(exited).build();
  }

  private static void writeStatus(JobStatus status) throws Exception {
    producer.send(new ProducerRecord<>(Topics.STATUS.name(), status.getJobId(), status)).get();
  }

  /** The first command of this sid with this kind of action, waiting for it to arrive. */
  private static RecordingCommand command(String sid, Class<?> action) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> {
      for (ConsumerRecord<String, RecordingCommand> r : commands.poll(Duration.ofMillis(200))) {
        assertThat(r.key()).isEqualTo(r.value().getJobId());
        seen.add(r.value());
      }
      Optional<RecordingCommand> found = seen.stream()
          .filter(c -> c.getJobId().equals(sid) && action.isInstance(c.getAction())).findFirst();
      found.ifPresent(seen::remove);
      return found;
    }, Optional::isPresent).orElseThrow();
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", AUTH)
        .header("Content-Type", "application/json;charset=utf-8");
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    return json(response);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
