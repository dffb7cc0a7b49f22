package io.capstan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.app.webhook.WebhookReceiver;
import io.capstan.app.wiring.Deployment;
import io.capstan.app.wiring.ServiceCatalog;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.StreamAnnouncement;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user of the hosted product does, against Capstan: participants announced in the
 * channel directory, a mix recording started, queried and stopped over the REST API, signed
 * webhooks received, and the files found in storage under the names the reference gives.
 */
class RestRecordingIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("key:secret".getBytes(StandardCharsets.UTF_8));

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void mixRecordingOfTheChannelDirectoryThroughTheRestApi(@TempDir Path storage) throws Exception {
    String cname = "class" + UUID.randomUUID().toString().substring(0, 8);
    String webhookSecret = "whsec-" + UUID.randomUUID();
    try (WebhookReceiver receiver = new WebhookReceiver(webhookSecret, c -> { });
         Deployment deployment = Deployment.start(Config.of(Map.of(
             Config.BOOTSTRAP.name(), KafkaBroker.bootstrap(),
             "uploader.local.root", storage.toString(),
             "gateway.auth", "key:secret",
             "notifier.webhook.url", receiver.url(),
             "notifier.webhook.secret", webhookSecret,
             "notifier.allow.private", "true",
             "notifier.state.dir", storage.resolve(".notifier-state").toString())), ServiceCatalog.all(), 0)) {
      await().atMost(Duration.ofSeconds(60)).until(deployment::ready);
      String base = "http://127.0.0.1:" + deployment.httpPort() + "/v1/apps/app1/cloud_recording/";

      try (KafkaProducer<String, SpecificRecord> producer = deployment.context().kafka().producer("test")) {
        for (String[] p : List.of(new String[] {"11", "red", "300"}, new String[] {"22", "blue", "600"})) {
          StreamAnnouncement a = StreamAnnouncement.newBuilder().setChannel(cname).setUid(p[0])
              .setUrl("lavfi:color=c=" + p[1] + ":size=320x240:rate=15[out0];sine=frequency=" + p[2]
                  + ":sample_rate=48000[out1]")
              .setUpdatedUtcMs(System.currentTimeMillis()).build();
          producer.send(new ProducerRecord<>(Topics.CHANNELS.name(), cname + "/" + p[0], a)).get(10, TimeUnit.SECONDS);
        }
      }

      assertThat(post(base + "acquire", "{}", null).statusCode()).isEqualTo(401);

      JsonNode acquired = ok(post(base + "acquire",
          "{\"cname\":\"" + cname + "\",\"uid\":\"527841\",\"clientRequest\":{\"resourceExpiredHour\":24}}", AUTH));
      String rid = acquired.path("resourceId").asText();
      assertThat(rid).isNotBlank();

      JsonNode started = ok(post(base + "resourceid/" + rid + "/mode/mix/start", """
          {"cname":"%s","uid":"527841","clientRequest":{
            "recordingConfig":{"channelType":0,"streamTypes":2,"audioProfile":1,"maxIdleTime":30,
              "transcodingConfig":{"width":640,"height":360,"fps":15,"bitrate":600,"mixedVideoLayout":1,
                "backgroundColor":"#000000"}},
            "recordingFileConfig":{"avFileType":["hls"]},
            "storageConfig":{"vendor":99,"region":0,"bucket":"rec","accessKey":"ak","secretKey":"sk",
              "fileNamePrefix":["dir1","dir2"]}}}
          """.formatted(cname), AUTH));
      String sid = started.path("sid").asText();
      assertThat(started.path("resourceId").asText()).isEqualTo(rid);

      String query = base + "resourceid/" + rid + "/sid/" + sid + "/mode/mix/query";
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        HttpResponse<String> answer = get(query, AUTH);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("serverResponse").path("status").asInt()).isEqualTo(5);
      });
      Path dir = storage.resolve("rec/dir1/dir2");
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(dir) && Files.list(dir)
          .anyMatch(p -> p.toString().endsWith(".ts")));

      JsonNode stopped = ok(post(base + "resourceid/" + rid + "/sid/" + sid + "/mode/mix/stop",
          "{\"cname\":\"" + cname + "\",\"uid\":\"527841\",\"clientRequest\":{}}", AUTH));
      String playlistName = sid + "_" + cname + ".m3u8";
      assertThat(stopped.path("serverResponse").path("uploadingStatus").asText()).isEqualTo("uploaded");
      assertThat(stopped.path("serverResponse").path("fileList").toString()).contains(playlistName);

      Path playlist = dir.resolve(playlistName);
      assertThat(Files.readString(playlist)).contains("#EXT-X-ENDLIST");
      List<String[]> entries = HlsProbe.entries(playlist);
      assertThat(entries).isNotEmpty();
      HlsProbe.Slice first = HlsProbe.decode(dir.resolve(entries.get(0)[0]), 0);
      assertThat(first.videoFrames()).isPositive();
      assertThat(first.audioSamples()).isPositive();
      assertThat(first.width()).isEqualTo(640);

      // This recording's session_exit (an official CI run once saw an 11 that was not this sid's: say whose).
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(receiver.received().stream()
          .filter(c -> c.eventType() == 11).map(c -> c.envelope().path("sid").asText()).toList())
          .as("sids of the session_exit callbacks (%s)", receiver.received().stream()
              .map(c -> c.eventType() + ":" + c.envelope().path("sid").asText()).toList())
          .contains(sid));
      assertThat(receiver.received()).allSatisfy(c -> assertThat(c.signatureValid()).isTrue());
      assertThat(receiver.received().stream().filter(c -> sid.equals(c.envelope().path("sid").asText()))
          .map(WebhookReceiver.Callback::eventType).toList()).contains(40, 42, 31, 11);

      assertThat(get(base + "resourceid/" + rid + "/sid/nosuchsid/mode/mix/query", AUTH).statusCode()).isEqualTo(404);
    }
  }

  private HttpResponse<String> post(String url, String body, String auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url, String auth) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
