package io.capstan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.app.webhook.WebhookReceiver;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-machine deployment exactly as a user runs it: the built {@code capstan.jar} serving
 * with an embedded broker, {@code capstan channel join} in separate processes, a recording over
 * REST, and SIGTERM at the end.
 */
class ServeCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path JAR = Path.of("target/capstan.jar");
  private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("k:s".getBytes(StandardCharsets.UTF_8));

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void serveEmbeddedRecordsTheChannelDirectoryOverRest(@TempDir Path dir) throws Exception {
    int port = freePort();
    int kafkaPort = freePort();
    Path storage = dir.resolve("recordings");
    try (WebhookReceiver receiver = new WebhookReceiver("hook-secret", c -> { })) {
      Process serve = capstan(dir.resolve("serve.log"), "serve", "--embedded", "--port", String.valueOf(port),
          "--kafka-port", String.valueOf(kafkaPort), "--data-dir", dir.resolve("data").toString(),
          "--storage-dir", storage.toString(), "--auth", "k:s", "--webhook", receiver.url(),
          "--webhook-secret", "hook-secret", "--allow-private-webhooks");
      try {
        String base = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
            .until(() -> serve.isAlive() && status(base + "/health") == 200);

        for (String[] p : List.of(new String[] {"7", "yellow", "400"}, new String[] {"8", "green", "800"})) {
          Process join = capstan(dir.resolve("join-" + p[0] + ".log"), "channel", "join", "--bootstrap",
              "127.0.0.1:" + kafkaPort, "--channel", "lobby", "--uid", p[0], "--url",
              "lavfi:color=c=" + p[1] + ":size=320x240:rate=15[out0];sine=frequency=" + p[2] + ":sample_rate=48000[out1]");
          assertThat(join.waitFor(60, TimeUnit.SECONDS)).isTrue();
          assertThat(join.exitValue()).as(Files.readString(dir.resolve("join-" + p[0] + ".log"))).isZero();
        }

        String api = base + "/v1/apps/demo/cloud_recording/";
        String rid = JSON.readTree(post(api + "acquire", "{\"cname\":\"lobby\",\"uid\":\"1\",\"clientRequest\":{}}"))
            .path("resourceId").asText();
        String sid = JSON.readTree(post(api + "resourceid/" + rid + "/mode/mix/start", """
            {"cname":"lobby","uid":"1","clientRequest":{
              "recordingConfig":{"transcodingConfig":{"width":640,"height":360,"fps":15,"bitrate":500}},
              "recordingFileConfig":{"avFileType":["hls"],"sliceSeconds":2},
              "storageConfig":{"vendor":99,"region":0,"bucket":"b","accessKey":"","secretKey":""}}}
            """)).path("sid").asText();
        Path playlist = storage.resolve("b").resolve(sid + "_lobby.m3u8");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(playlist)
            && Files.readString(playlist).split("#EXTINF").length > 3);

        JsonNode stopped = JSON.readTree(post(api + "resourceid/" + rid + "/sid/" + sid + "/mode/mix/stop",
            "{\"cname\":\"lobby\",\"uid\":\"1\",\"clientRequest\":{}}"));
        assertThat(stopped.path("serverResponse").path("uploadingStatus").asText()).isEqualTo("uploaded");
        assertThat(Files.readString(playlist)).contains("#EXT-X-ENDLIST");
        HlsProbe.Slice first = HlsProbe.decode(playlist.resolveSibling(HlsProbe.entries(playlist).get(0)[0]), 0);
        assertThat(first.videoFrames()).isPositive();
        assertThat(first.audioSamples()).isPositive();

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().stream()
            .anyMatch(c -> c.eventType() == 11 && sid.equals(c.envelope().path("sid").asText())));
        assertThat(receiver.received()).allSatisfy(c -> assertThat(c.signatureValid()).isTrue());

        Process status = capstan(dir.resolve("status.log"), "status", "--bootstrap", "127.0.0.1:" + kafkaPort, sid);
        assertThat(status.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(status.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("status.log"))).contains(sid).contains(sid + "_lobby.m3u8");

        // capstan record: a REST-shaped start body from a file, explicit sources, stopped after 4 s.
        Path body = dir.resolve("start.json");
        Files.writeString(body, """
            {"cname":"studio","uid":"2","clientRequest":{
              "recordingConfig":{"transcodingConfig":{"width":320,"height":240,"mixedVideoLayout":1}},
              "recordingFileConfig":{"avFileType":["hls"],"sliceSeconds":2},
              "storageConfig":{"vendor":99,"region":0,"bucket":"cli","accessKey":"","secretKey":""},
              "sources":[{"uid":"5","url":"lavfi:testsrc2=size=320x240:rate=15[out0];sine=frequency=500:sample_rate=48000[out1]"}]}}
            """);
        Process record = capstan(dir.resolve("record.log"), "record", "--bootstrap", "127.0.0.1:" + kafkaPort,
            "--file", body.toString(), "--seconds", "4");
        assertThat(record.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String recorded = Files.readString(dir.resolve("record.log"));
        assertThat(record.exitValue()).as(recorded).isZero();
        assertThat(recorded).contains("session_exit").contains("_studio.m3u8");
        try (var files = Files.list(storage.resolve("cli"))) {
          assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith("_studio.m3u8"));
        }
      } finally {
        serve.destroy();
        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
      }
      assertThat(Files.readString(dir.resolve("serve.log"))).doesNotContain("hook-secret");
    }
  }

  private static Process capstan(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx1g", "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  private String post(String url, String body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", AUTH)
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + " " + response.body()).isEqualTo(200);
    return response.body();
  }

  private int status(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
