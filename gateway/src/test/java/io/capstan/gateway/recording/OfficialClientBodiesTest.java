package io.capstan.gateway.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.gateway.api.BasicAuth;
import io.capstan.gateway.api.GatewayApi;
import io.capstan.gateway.mapping.StartRequestMapper;
import io.capstan.gateway.resource.ResourceIds;
import io.capstan.runtime.http.HealthServer;
import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.service.Service;
import io.capstan.runtime.source.SourcePolicy;
import io.capstan.runtime.spec.JobSpecValidator;
import io.capstan.runtime.spec.SpecLimits;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.UpdateCommand;
import io.capstan.schemas.UpdateLayoutCommand;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every call over HTTP with the bodies Agora's documentation and its official clients send (their
 * field names and values, written here as our own data), against the gateway with the command sink
 * and the job views in memory: each is accepted and answered in the documented shape.
 */
class OfficialClientBodiesTest {

  static {
    io.capstan.schemas.serde.AvroTrust.install();
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP = "/v1/apps/capstan-app/cloud_recording/";
  private static final String CALLER = "\"cname\": \"httpClient463224\", \"uid\": \"527841\"";

  private Instant now = Instant.parse("2026-11-24T08:53:01Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };
  private final List<RecordingCommand> sent = new CopyOnWriteArrayList<>();
  private final RecordingsTest.FakeJobs jobs = new RecordingsTest.FakeJobs();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final HttpClient client = HttpClient.newHttpClient();
  private HealthServer http;
  private GatewayApi api;

  @BeforeEach
  void startGateway() {
    ResourceIds ids = new ResourceIds("a-test-secret-of-enough-bytes".getBytes(StandardCharsets.UTF_8), clock,
        Duration.ofMinutes(5));
    // Private addresses allowed: the web page below is on this machine (no name resolution in tests).
    StartChecks checks = new StartChecks(new JobSpecValidator(new SourcePolicy(false, AddressPolicy.of(true)),
        SpecLimits.DEFAULTS), AddressPolicy.of(true));
    Recordings recordings = new Recordings(ids, new StartRequestMapper(StartRequestMapper.Options.DEFAULTS), checks,
        sent::add, jobs, Duration.ZERO, Duration.ofMillis(300), clock, new UnknownFields(metrics));
    api = new GatewayApi(recordings, BasicAuth.of(null));
    http = new HealthServer("127.0.0.1", 0, new Up(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    http.handle(GatewayApi.CONTEXT, api);
    http.start();
  }

  @AfterEach
  void stopGateway() {
    http.close();
    api.close();
  }

  @Test
  void acquireWithTheJavaClientsFieldsIsAccepted() throws Exception {
    HttpResponse<String> answer = post("acquire", """
        {%s, "clientRequest": {"scene": 0, "resourceExpiredHour": 24, "regionAffinity": 0,
          "excludeResourceIds": [], "startParameter": {"token": ""}}}""".formatted(CALLER));
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(names(json(answer))).containsExactly("cname", "uid", "resourceId");
    assertThat(answer.headers().firstValue("X-Request-ID")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
  }

  @Test
  void errorAnswersCarryARequestIdToo() throws Exception {
    String rid = acquire(0, 72);
    HttpResponse<String> answer = get("resourceid/" + rid + "/sid/0123456789abcdef0123456789abcdef/mode/mix/query");
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(json(answer).get("reason").asText()).isEqualTo("failed to find worker");
    assertThat(answer.headers().firstValue("X-Request-ID")).isPresent();
  }

  @Test
  void unknownFieldsAreAcceptedCountedAndKnownOnesStayStrict() throws Exception {
    HttpResponse<String> accepted = post("acquire", """
        {%s, "clientRequest": {"scene": 0, "someNewerField": {"a": 1}}, "traceTag": "x"}""".formatted(CALLER));
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(metrics.get("capstan_gateway_unknown_fields").tag("field", "clientRequest.someNewerField").counter()
        .count()).isEqualTo(1.0);
    assertThat(metrics.get("capstan_gateway_unknown_fields").tag("field", "traceTag").counter().count()).isEqualTo(1.0);
    HttpResponse<String> refused = post("acquire", """
        {%s, "clientRequest": {"scene": 7, "someNewerField": 1}}""".formatted(CALLER));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(json(refused).get("reason").asText()).isEqualTo("clientRequest.scene: must be between 0 and 2, got 7");
  }

  @Test
  void mixRecordingAsTheJavaClientDrivesIt() throws Exception {
    String rid = acquire(0, 72);
    // The Java client's layout regions carry xaxis/yaxis next to x_axis/y_axis.
    HttpResponse<String> started = post("resourceid/" + rid + "/mode/mix/start", """
        {%s, "clientRequest": {"token": "",
          "recordingConfig": {"channelType": 0, "streamTypes": 2, "audioProfile": 1, "videoStreamType": 0,
            "maxIdleTime": 30, "subscribeAudioUids": ["#allstream#"], "subscribeVideoUids": ["#allstream#"],
            "subscribeUidGroup": 0,
            "transcodingConfig": {"width": 640, "height": 360, "fps": 15, "bitrate": 500, "mixedVideoLayout": 3,
              "backgroundColor": "#FF0000",
              "layoutConfig": [
                {"uid": "1", "x_axis": 0.0, "y_axis": 0.0, "xaxis": 0.0, "yaxis": 0.0, "width": 0.5, "height": 0.5,
                 "alpha": 1.0, "render_mode": 1},
                {"x_axis": 0.5, "y_axis": 0.5, "xaxis": 0.5, "yaxis": 0.5, "width": 0.5, "height": 0.5,
                 "alpha": 1.0, "render_mode": 0}]}},
          "recordingFileConfig": {"avFileType": ["hls", "mp4"]},
          "storageConfig": {"vendor": 2, "region": 3, "bucket": "xxxxx", "accessKey": "xxxxx", "secretKey": "xxxxx",
            "fileNamePrefix": ["directory1", "directory2"]}}}""".formatted(CALLER));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    String sid = json(started).get("sid").asText();
    JobSpec spec = startedSpec();
    assertThat(spec.getTranscoding().getLayout().getRegions()).extracting(r -> r.getX()).containsExactly(0.0, 0.5);

    HttpResponse<String> relaid = post("resourceid/" + rid + "/sid/" + sid + "/mode/mix/updateLayout", """
        {%s, "clientRequest": {"mixedVideoLayout": 3, "backgroundColor": "#FF0000", "layoutConfig": [
          {"uid": "1", "x_axis": 0.1, "y_axis": 0.1, "xaxis": 0.1, "yaxis": 0.1, "width": 0.1, "height": 0.1,
           "alpha": 1.0, "render_mode": 1},
          {"uid": "2", "xaxis": 0.2, "yaxis": 0.2, "width": 0.1, "height": 0.1, "alpha": 1.0, "render_mode": 1}]}}"""
        .formatted(CALLER));
    assertThat(relaid.statusCode()).as(relaid.body()).isEqualTo(200);
    assertThat(((UpdateLayoutCommand) sent.get(1).getAction()).getLayout().getRegions())
        .extracting(r -> r.getY()).containsExactly(0.1, 0.2);
    HttpResponse<String> disagreeing = post("resourceid/" + rid + "/sid/" + sid + "/mode/mix/updateLayout", """
        {%s, "clientRequest": {"mixedVideoLayout": 3, "layoutConfig": [
          {"x_axis": 0.1, "xaxis": 0.3, "y_axis": 0, "width": 0.1, "height": 0.1}]}}""".formatted(CALLER));
    assertThat(json(disagreeing).get("reason").asText())
        .isEqualTo("clientRequest.layoutConfig[0].xaxis: must equal x_axis when both are given");

    // The Java client's mix query types: fileListMode "json" (hls + mp4), with cname and uid on top.
    FileEntry playlist = entry(sid + "_httpClient463224.m3u8");
    FileEntry mp4 = entry(sid + "_httpClient463224_20261124085301000_0.mp4");
    jobs.put(status(sid, spec, 5, 1_700_000_000_000L, List.of(playlist, mp4), "unknown"));
    JsonNode query = json(get("resourceid/" + rid + "/sid/" + sid + "/mode/mix/query"));
    assertThat(names(query)).containsExactlyInAnyOrder("cname", "uid", "resourceId", "sid", "serverResponse");
    assertThat(query.get("cname").asText()).isEqualTo("httpClient463224");
    assertThat(query.get("uid").asText()).isEqualTo("527841");
    assertThat(names(query.get("serverResponse")))
        .containsExactlyInAnyOrder("status", "fileListMode", "fileList", "sliceStartTime");
    assertThat(query.at("/serverResponse/fileList/1/fileName").asText()).endsWith(".mp4");

    // A synchronous stop whose uploads are not done within the stop wait: 206, as the docs answer.
    HttpResponse<String> stopped = post("resourceid/" + rid + "/sid/" + sid + "/mode/mix/stop", """
        {%s, "clientRequest": {"async_stop": false}}""".formatted(CALLER));
    assertThat(stopped.statusCode()).isEqualTo(206);
    assertThat(json(stopped).at("/serverResponse/uploadingStatus").asText()).isEqualTo("unknown");
  }

  @Test
  void aStopThatEndsBackupedIs206AndOneThatEndsUploadedIs200() throws Exception {
    for (String uploading : List.of("backuped", "uploaded")) {
      sent.clear();
      String rid = acquire(0, 72);
      String sid = json(post("resourceid/" + rid + "/mode/mix/start", """
          {%s, "clientRequest": {"recordingConfig": {}}}""".formatted(CALLER))).get("sid").asText();
      JobSpec spec = startedSpec();
      jobs.put(status(sid, spec, 5, 1_700_000_000_000L, List.of(), "unknown"));
      var stop = client.sendAsync(request("resourceid/" + rid + "/sid/" + sid + "/mode/mix/stop",
          "{" + CALLER + ", \"clientRequest\": {}}"), HttpResponse.BodyHandlers.ofString());
      await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 2);
      jobs.put(JobStatus.newBuilder(status(sid, spec, 8, 1_700_000_000_000L,
          List.of(entry(sid + "_httpClient463224.m3u8")), uploading)).setExited(true).build());
      assertThat(stop.join().statusCode()).as(uploading).isEqualTo(uploading.equals("uploaded") ? 200 : 206);
    }
  }

  @Test
  void individualRecordingWithBothSpellingsOfTheDenyLists() throws Exception {
    String rid = acquire(0, 72);
    // The Go client and the current docs spell it unsubscribe...; Agora's own update example unSubscribe...
    HttpResponse<String> started = post("resourceid/" + rid + "/mode/individual/start", """
        {%s, "clientRequest": {"recordingConfig": {"channelType": 0, "streamTypes": 2, "streamMode": "default",
          "videoStreamType": 0, "maxIdleTime": 30, "subscribeUidGroup": 0,
          "unsubscribeAudioUids": ["999"], "unsubscribeVideoUids": ["998"]},
          "recordingFileConfig": {"avFileType": ["hls"]},
          "storageConfig": {"vendor": 3, "region": 0, "bucket": "xxxxx", "accessKey": "xxxxx", "secretKey": "xxxxx"}}}"""
        .formatted(CALLER));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    String sid = json(started).get("sid").asText();
    JobSpec spec = startedSpec();
    assertThat(spec.getSubscriptions().getUnsubscribeAudioUids()).containsExactly("999");
    assertThat(spec.getSubscriptions().getUnsubscribeVideoUids()).containsExactly("998");
    jobs.specs.put(sid, JobSpec.newBuilder(spec).setRunning(true).build());

    HttpResponse<String> updated = post("resourceid/" + rid + "/sid/" + sid + "/mode/individual/update", """
        {%s, "clientRequest": {"streamSubscribe": {
          "audioUidList": {"subscribeAudioUids": ["#allstream#"]},
          "videoUidList": {"unSubscribeVideoUids": ["444", "555", "666"]}}}}""".formatted(CALLER));
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    assertThat(((UpdateCommand) sent.get(1).getAction()).getSubscriptions().getUnsubscribeVideoUids())
        .containsExactly("444", "555", "666");
    HttpResponse<String> other = post("resourceid/" + rid + "/sid/" + sid + "/mode/individual/update", """
        {%s, "clientRequest": {"streamSubscribe": {"audioUidList": {"unsubscribeAudioUids": ["7"]}}}}"""
        .formatted(CALLER));
    assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    assertThat(((UpdateCommand) sent.get(2).getAction()).getSubscriptions().getUnsubscribeAudioUids())
        .containsExactly("7");
  }

  @Test
  void snapshotOnlyRecordingAnswersTheScreenshotQuery() throws Exception {
    String rid = acquire(0, 72);
    HttpResponse<String> started = post("resourceid/" + rid + "/mode/individual/start", """
        {%s, "clientRequest": {"token": "",
          "recordingConfig": {"channelType": 0, "streamTypes": 2, "videoStreamType": 0, "maxIdleTime": 30,
            "subscribeVideoUids": ["123", "456"], "subscribeAudioUids": ["#allstream#"], "subscribeUidGroup": 0},
          "snapshotConfig": {"captureInterval": 5, "fileType": ["jpg"]},
          "storageConfig": {"vendor": 2, "region": 3, "bucket": "xxxxx", "accessKey": "xxxxx", "secretKey": "xxxxx",
            "fileNamePrefix": ["directory1", "directory2"]}}}""".formatted(CALLER));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    String sid = json(started).get("sid").asText();
    JobSpec spec = startedSpec();
    assertThat(spec.getFiles().getAvFileType()).as("snapshots only: no HLS playlists").isEmpty();
    jobs.put(status(sid, spec, 5, 1_700_000_000_000L, List.of(), "unknown"));
    JsonNode query = json(get("resourceid/" + rid + "/sid/" + sid + "/mode/individual/query"));
    assertThat(query.get("serverResponse")).isEqualTo(JSON.readTree("""
        {"status": 5, "sliceStartTime": 1700000000000}"""));
  }

  @Test
  void webRecordingWithTheJavaClientsVideoBitrateAndItsQuery() throws Exception {
    String rid = acquire(1, 72);
    HttpResponse<String> started = post("resourceid/" + rid + "/mode/web/start", """
        {%s, "clientRequest": {"token": "",
          "extensionServiceConfig": {"errorHandlePolicy": "error_abort", "extensionServices": [
            {"serviceName": "web_recorder_service", "errorHandlePolicy": "error_abort",
             "serviceParam": {"url": "http://127.0.0.1:8080/class?id=1", "VideoBitrate": 1800, "videoFps": 15,
               "audioProfile": 0, "mobile": false, "videoWidth": 1280, "videoHeight": 720, "maxRecordingHour": 1,
               "maxVideoDuration": 120, "onhold": false, "readyTimeout": 0}}]},
          "recordingFileConfig": {"avFileType": ["hls"]},
          "storageConfig": {"vendor": 2, "region": 3, "bucket": "xxxxx", "accessKey": "xxxxx", "secretKey": "xxxxx"}}}"""
        .formatted(CALLER));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    String sid = json(started).get("sid").asText();
    JobSpec spec = startedSpec();
    assertThat(spec.getTranscoding().getBitrateKbps()).isEqualTo(1800);
    jobs.put(status(sid, spec, 5, 1_700_000_000_000L, List.of(entry(sid + "_httpClient463224.m3u8")), "unknown"));
    JsonNode query = json(get("resourceid/" + rid + "/sid/" + sid + "/mode/web/query"));
    assertThat(query.get("serverResponse")).isEqualTo(JSON.readTree("""
        {"status": 5, "extensionServiceState": [{"serviceName": "web_recorder_service", "payload": {
          "fileList": [{"filename": "%s_httpClient463224.m3u8", "sliceStartTime": 1700000000000}],
          "onhold": false, "state": "inProgress"}}]}""".formatted(sid)));
  }

  @Test
  void callsAfterResourceExpiredHourAreRefused() throws Exception {
    String rid = acquire(0, 1);
    String sid = json(post("resourceid/" + rid + "/mode/mix/start", """
        {%s, "clientRequest": {"recordingConfig": {}}}""".formatted(CALLER))).get("sid").asText();
    jobs.specs.put(sid, JobSpec.newBuilder(startedSpec()).setRunning(true).setStartedUtcMs(now.toEpochMilli()).build());
    assertThat(get("resourceid/" + rid + "/sid/" + sid + "/mode/mix/query").statusCode()).isEqualTo(200);
    now = now.plus(Duration.ofMinutes(61));
    HttpResponse<String> late = get("resourceid/" + rid + "/sid/" + sid + "/mode/mix/query");
    assertThat(late.statusCode()).isEqualTo(400);
    assertThat(json(late).get("code").asInt()).isEqualTo(433);
    assertThat(post("resourceid/" + rid + "/sid/" + sid + "/mode/mix/stop", "{" + CALLER + ", \"clientRequest\": {}}")
        .statusCode()).isEqualTo(400);
  }

  private String acquire(int scene, int hours) throws Exception {
    return json(post("acquire", """
        {%s, "clientRequest": {"scene": %d, "resourceExpiredHour": %d}}""".formatted(CALLER, scene, hours)))
        .get("resourceId").asText();
  }

  private JobSpec startedSpec() {
    return ((StartCommand) sent.get(0).getAction()).getSpec();
  }

  private JobStatus status(String sid, JobSpec spec, int status, long sliceStart, List<FileEntry> files,
                           String uploading) {
    return JobStatus.newBuilder().setJobId(sid).setChannel(spec.getChannel()).setRecorderUid(spec.getRecorderUid())
        .setResourceId(spec.getResourceId()).setMode(spec.getMode()).setStatus(status).setSliceStartTime(sliceStart)
        .setFileList(files).setUploadingStatus(uploading).setUpdatedUtcMs(now.toEpochMilli()).build();
  }

  private static FileEntry entry(String name) {
    return FileEntry.newBuilder().setFileName(name).setTrackType("audio_and_video").setUid("0").setMixedAllUser(true)
        .setIsPlayable(true).setSliceStartTime(1_700_000_000_000L).build();
  }

  private HttpRequest request(String path, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + APP + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(request(path, body), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + APP + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    for (Iterator<String> i = node.fieldNames(); i.hasNext(); ) {
      names.add(i.next());
    }
    return names;
  }

  /** The health server's service: always up. */
  private static final class Up implements Service {
    @Override
    public String name() {
      return "test";
    }

    @Override
    public void start() {
    }

    @Override
    public boolean healthy() {
      return true;
    }

    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public void close() {
    }
  }
}
