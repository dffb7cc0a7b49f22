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
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.source.SourceUrl;
import io.capstan.schemas.StreamAnnouncement;
import io.capstan.webrtc.TestPattern;
import io.capstan.webrtc.testing.WhepTestServer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebRTC into a channel: publishers join by WHIP, as FFmpeg's whip muxer, OBS or a browser do,
 * and a composite recording of the channel made through the REST API records them (each one's
 * colour in its best-fit region, its tone in the mix, the second publisher followed when it
 * joins, the leave events when it ends its session); a browser publishes from the gateway's page;
 * a WHEP source is played, and played again after its server restarts.
 */
class WhipRecordingIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUTH = "Basic " + Base64.getEncoder()
      .encodeToString("key:secret".getBytes(StandardCharsets.UTF_8));

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void publishersJoinByWhipAndTheCompositeRecordsEachInItsRegion(@TempDir Path storage) throws Exception {
    String cname = "whip" + UUID.randomUUID().toString().substring(0, 8);
    String webhookSecret = "whsec-" + UUID.randomUUID();
    try (WebhookReceiver receiver = new WebhookReceiver(webhookSecret, c -> { });
         Deployment deployment = deployment(storage, receiver, webhookSecret, true)) {
      String api = "http://127.0.0.1:" + deployment.httpPort();
      String whip = api + "/v1/apps/app1/whip/" + cname + "/";

      // A token is the REST API's to give, for one channel and uid.
      assertThat(post(whip + "101/token", "application/json", "{}", null).statusCode()).isEqualTo(401);
      String token101 = token(whip + "101/token");
      assertThat(post(whip + "102", "application/sdp", "v=0\r\n", "Bearer " + token101).statusCode())
          .as("a token for uid 101 does not let 102 publish").isEqualTo(401);

      String rest = api + "/v1/apps/app1/cloud_recording/";
      String rid = acquire(rest, cname, AUTH);
      String sid = startMix(rest, rid, cname, 60, AUTH);

      Process red = publish(whip + "101", token101, "red", 440);
      Process blue = null;
      try {
        await().atMost(Duration.ofSeconds(40)).until(() -> joined(receiver, sid, "101"));
        long redJoinedMs = System.currentTimeMillis();
        String session = relayIsReadByFfmpeg(deployment, cname, "101", storage.resolve("relay"));
        // The session's resource: trickle ICE (an end-of-candidates fragment), refusals that say why.
        assertThat(patch(whip + "101/" + session, "application/trickle-ice-sdpfrag", "a=end-of-candidates\r\n",
            token101).statusCode()).isEqualTo(204);
        assertThat(patch(whip + "101/" + session, "application/sdp", "v=0\r\n", token101).statusCode()).isEqualTo(415);
        assertThat(patch(whip + "101/" + session, "application/trickle-ice-sdpfrag", "a=end-of-candidates\r\n",
            null).statusCode()).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(whip + "101/nosuchsession"))
            .header("Authorization", "Bearer " + token101).DELETE().build(), HttpResponse.BodyHandlers.ofString())
            .statusCode()).isEqualTo(404);
        String token102 = cliToken(api, cname, "102");
        blue = publish(whip + "102", token102, "blue", 1000);
        await().atMost(Duration.ofSeconds(40)).until(() -> joined(receiver, sid, "102"));
        long blueJoinedMs = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(30)).until(() -> System.currentTimeMillis() - blueJoinedMs > 8000);
        assertThat(blue.isAlive()).as("the second publisher still publishes").isTrue();
        end(blue); // FFmpeg ends its WHIP session with DELETE
        await().atMost(Duration.ofSeconds(30)).until(() -> left(receiver, sid, "102"));
        // Past libwebrtc's 15 s write timeout, which FFmpeg's STUN responses would not keep off unrepaired.
        await().atMost(Duration.ofSeconds(40)).until(() -> System.currentTimeMillis() - redJoinedMs > 25_000);
        assertThat(left(receiver, sid, "101")).as("uid 101 still publishing after 25 s").isFalse();
        end(red);
        await().atMost(Duration.ofSeconds(30)).until(() -> left(receiver, sid, "101"));
      } finally {
        if (blue != null) {
          blue.destroyForcibly();
        }
        end(red);
      }

      JsonNode stopped = stop(rest, rid, sid, "mix", cname, AUTH);
      assertThat(stopped.path("serverResponse").path("uploadingStatus").asText()).isEqualTo("uploaded");
      Path dir = storage.resolve("rec");
      Path playlist = dir.resolve(sid + "_" + cname + ".m3u8");
      List<String[]> entries = HlsProbe.entries(playlist);

      boolean redAlone = false;
      boolean both = false;
      boolean tone440 = false;
      boolean tone1000 = false;
      List<String> seen = new ArrayList<>();
      for (String[] entry : entries) {
        Look look = look(dir.resolve(entry[0]));
        seen.add(entry[0] + ": centre " + java.util.Arrays.toString(look.at(320, 180)) + " left "
            + java.util.Arrays.toString(look.at(160, 180)) + " right " + java.util.Arrays.toString(look.at(480, 180))
            + " 440 Hz " + Math.round(look.tone(440)) + " 1000 Hz " + Math.round(look.tone(1000)));
        redAlone |= look.isRed(320, 180) && look.isRed(480, 180); // 101 alone fills the canvas
        // best fit with two: 101 (joined first) left, 102 right; 102 publishes ~8 s, which a slice's
        // middle picture alone can miss: every second's picture counts
        both |= look.anyPicture(p -> look.isRed(p, 160, 180) && look.isBlue(p, 480, 180));
        tone440 |= look.tone(440) > 20;
        tone1000 |= look.tone(1000) > 20;
      }
      assertThat(redAlone).as("a slice with uid 101 alone, red over the canvas; slices: %s", seen).isTrue();
      assertThat(both).as("a slice with 101 red on the left and 102 blue on the right; slices: %s", seen).isTrue();
      assertThat(tone440 && tone1000).as("both publishers' tones in the mix; slices: %s", seen).isTrue();
    }
  }

  @Test
  void aBrowserPublishesFromTheServedPageAndIsRecordedWithMotionAndSound(@TempDir Path storage) throws Exception {
    String cname = "page" + UUID.randomUUID().toString().substring(0, 8);
    String webhookSecret = "whsec-" + UUID.randomUUID();
    try (WebhookReceiver receiver = new WebhookReceiver(webhookSecret, c -> { });
         Deployment deployment = deployment(storage, receiver, webhookSecret, false)) {
      String api = "http://127.0.0.1:" + deployment.httpPort();
      String rest = api + "/v1/apps/app1/cloud_recording/";
      String rid = acquire(rest, cname, null);
      String sid = startMix(rest, rid, cname, 60, null);

      Path profile = Files.createTempDirectory(storage, "chromium");
      Process chromium = new ProcessBuilder("chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
          "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
          "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + profile,
          api + "/v1/apps/app1/whip?channel=" + cname + "&uid=2001&publish=1")
          .redirectErrorStream(true)
          .redirectOutput(storage.resolve("chromium.log").toFile())
          .start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> joined(receiver, sid, "2001"));
        long joinedMs = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(30)).until(() -> System.currentTimeMillis() - joinedMs > 10_000);
      } finally {
        chromium.destroy();
        if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
          chromium.destroyForcibly();
        }
      }
      // Gone without a DELETE: the publisher leaves when its media stops (gateway.whip.silence).
      await().atMost(Duration.ofSeconds(40)).until(() -> left(receiver, sid, "2001"));

      stop(rest, rid, sid, "mix", cname, null);
      Path dir = storage.resolve("rec");
      boolean moving = false;
      boolean sound = false;
      for (String[] entry : HlsProbe.entries(dir.resolve(sid + "_" + cname + ".m3u8"))) {
        Motion m = motion(dir.resolve(entry[0]));
        moving |= m.changedPixels() > 0.01;
        sound |= m.rms() > 500;
      }
      assertThat(moving).as("Chromium's fake camera moves in the recording").isTrue();
      assertThat(sound).as("Chromium's fake microphone beeps in the recording").isTrue();
    }
  }

  /** How much the picture changes between the first and last frame of a slice, and how loud it is. */
  private record Motion(double changedPixels, double rms) {
  }

  private static Motion motion(Path slice) throws Exception {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    byte[] first = null;
    byte[] last = null;
    double squares = 0;
    long samples = 0;
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(slice.toFile())) {
      grabber.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
      grabber.start();
      Frame frame;
      while ((frame = grabber.grab()) != null) {
        if (frame.image != null) {
          ByteBuffer image = (ByteBuffer) frame.image[0];
          byte[] packed = new byte[frame.imageWidth * frame.imageHeight];
          for (int y = 0; y < frame.imageHeight; y++) {
            image.position(y * frame.imageStride);
            image.get(packed, y * frame.imageWidth, frame.imageWidth);
          }
          if (first == null) {
            first = packed;
          }
          last = packed;
        } else if (frame.samples != null && frame.samples[0] instanceof ShortBuffer pcm) {
          for (int i = 0; i < pcm.limit(); i++) {
            squares += (double) pcm.get(i) * pcm.get(i);
            samples++;
          }
        }
      }
    }
    double changed = 0;
    if (first != null && last != null && first != last) {
      int differing = 0;
      for (int i = 0; i < first.length; i++) {
        if (Math.abs((first[i] & 0xff) - (last[i] & 0xff)) > 24) {
          differing++;
        }
      }
      changed = (double) differing / first.length;
    }
    return new Motion(changed, samples == 0 ? 0 : Math.sqrt(squares / samples));
  }

  @Test
  void aWhepSourceIsRecordedAndReopenedAfterItsServerRestarts(@TempDir Path storage) throws Exception {
    String cname = "whep" + UUID.randomUUID().toString().substring(0, 8);
    String webhookSecret = "whsec-" + UUID.randomUUID();
    // Red (BT.601 limited range) with a 440 Hz tone, sent by a WHEP server built on the same library.
    try (WhepTestServer server = new WhepTestServer(new TestPattern(640, 360, 30, 81, 90, 240, 440), null).start();
         WebhookReceiver receiver = new WebhookReceiver(webhookSecret, c -> { });
         Deployment deployment = deployment(storage, receiver, webhookSecret, false)) {
      try (KafkaProducer<String, SpecificRecord> producer = deployment.context().kafka().producer("test")) {
        producer.send(new ProducerRecord<>(Topics.CHANNELS.name(), cname + "/301", StreamAnnouncement.newBuilder()
            .setChannel(cname).setUid("301").setUrl("whep+" + server.endpoint())
            .setUpdatedUtcMs(System.currentTimeMillis()).build())).get(10, TimeUnit.SECONDS);
      }
      String rest = "http://127.0.0.1:" + deployment.httpPort() + "/v1/apps/app1/cloud_recording/";
      String rid = acquire(rest, cname, null);
      String sid = startMix(rest, rid, cname, 120, null);
      // And an individual recording of the channel: a WebRTC uid goes through the transcoding path.
      String individualRid = ok(post(rest + "acquire", "application/json",
          "{\"cname\":\"" + cname + "\",\"uid\":\"527842\",\"clientRequest\":{}}", null)).path("resourceId").asText();
      String individualSid = ok(post(rest + "resourceid/" + individualRid + "/mode/individual/start", "application/json", """
          {"cname":"%s","uid":"527842","clientRequest":{
            "recordingConfig":{"channelType":0,"streamTypes":2,"maxIdleTime":120},
            "recordingFileConfig":{"avFileType":["hls"]},
            "storageConfig":{"vendor":99,"region":0,"bucket":"ind","accessKey":"ak","secretKey":"sk"}}}
          """.formatted(cname), null)).path("sid").asText();

      await().atMost(Duration.ofSeconds(40)).until(() -> states(receiver, sid, "301", 0) >= 1);
      long firstMs = System.currentTimeMillis();
      await().atMost(Duration.ofSeconds(20)).until(() -> System.currentTimeMillis() - firstMs > 6000);
      server.stop();
      await().atMost(Duration.ofSeconds(60)).until(() -> states(receiver, sid, "301", 1) >= 1);
      server.start(); // the same address: the reader's backoff finds it again
      await().atMost(Duration.ofSeconds(60)).until(() -> states(receiver, sid, "301", 0) >= 2);
      long againMs = System.currentTimeMillis();
      await().atMost(Duration.ofSeconds(20)).until(() -> System.currentTimeMillis() - againMs > 8000);

      // stop answers once the files are stored: the last slices read below are whole
      assertThat(stop(rest, rid, sid, "mix", cname, null).path("serverResponse").path("uploadingStatus").asText())
          .isEqualTo("uploaded");
      assertThat(ok(post(rest + "resourceid/" + individualRid + "/sid/" + individualSid + "/mode/individual/stop",
          "application/json", "{\"cname\":\"" + cname + "\",\"uid\":\"527842\",\"clientRequest\":{}}", null))
          .path("serverResponse").path("uploadingStatus").asText()).isEqualTo("uploaded");
      await().atMost(Duration.ofSeconds(20)).until(() -> server.deleted().size() >= 2);
      Path individual = storage.resolve("ind");
      List<String[]> uidSlices = HlsProbe.entries(individual.resolve(individualSid + "_" + cname
          + "__uid_s_301__uid_e_video.m3u8"));
      Look uidLook = look(individual.resolve(uidSlices.get(uidSlices.size() - 1)[0]));
      assertThat(uidLook.isRed(uidLook.width() / 2, uidLook.height() / 2)).as("uid 301's own video").isTrue();
      Path dir = storage.resolve("rec");
      List<String[]> entries = HlsProbe.entries(dir.resolve(sid + "_" + cname + ".m3u8"));
      List<String> seen = new ArrayList<>();
      Look last = null;
      for (String[] entry : entries) {
        last = look(dir.resolve(entry[0]));
        seen.add(entry[0] + " (" + entry[1] + " s): centre " + java.util.Arrays.toString(last.at(320, 180))
            + " 440 Hz " + Math.round(last.tone(440)));
      }
      System.out.println("whep restart: composite slices " + seen);
      if (!last.isRed(320, 180) || last.tone(440) <= 20) {
        keep(dir.resolve(entries.get(entries.size() - 1)[0]));
      }
      assertThat(last.isRed(320, 180)).as("the source is recorded again after its server restarted; slices: %s", seen)
          .isTrue();
      assertThat(last.tone(440)).as("the source's tone; slices: %s", seen).isGreaterThan(20);
    }
  }

  /**
   * What an ingest instance of another process reads: the directory names the publisher with a
   * whip+ URL, and FFmpeg opens the gateway's media relay of it (raw pictures and sound in NUT).
   */
  /** @return the publisher's WHIP session, as its directory URL names it */
  private static String relayIsReadByFfmpeg(Deployment deployment, String cname, String uid, Path dir) throws Exception {
    String url;
    try (TopicView<StreamAnnouncement> directory = new TopicView<>(deployment.context().kafka(), Topics.CHANNELS,
        "whip-it-directory")) {
      directory.start();
      url = directory.await(cname + "/" + uid, Duration.ofSeconds(20)).orElseThrow().getUrl();
    }
    SourceUrl source = SourceUrl.parse(url);
    assertThat(source.whip()).as(url).isTrue();
    assertThat(source.input()).contains("/media?key=");
    // Another process, as an ingest instance elsewhere is (JavaCV opens grabbers and recorders under one lock
    // per process): the bundled ffmpeg reads 2 s of the relay into raw RGB pictures and PCM.
    Files.createDirectories(dir);
    Path rgb = dir.resolve("picture.rgb");
    Path pcm = dir.resolve("sound.pcm");
    Process reader = new ProcessBuilder(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class), "-hide_banner", "-loglevel",
        "error", "-rw_timeout", "10000000", "-i", source.input(),
        "-map", "0:v", "-t", "2", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "64x36",
        rgb.toString(), "-map", "0:a", "-t", "2", "-f", "s16le", "-ac", "1", "-ar", "48000", pcm.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
    assertThat(reader.waitFor(30, TimeUnit.SECONDS)).as("ffmpeg read 2 s of the relay").isTrue();
    assertThat(reader.exitValue()).as(Files.readString(dir.resolve("ffmpeg.log"))).isZero();
    byte[] pictures = Files.readAllBytes(rgb);
    int frame = 64 * 36 * 3;
    assertThat(pictures.length / frame).as("pictures from the relay").isGreaterThanOrEqualTo(30);
    int centre = (pictures.length / frame - 1) * frame + (18 * 64 + 32) * 3;
    boolean red = (pictures[centre] & 0xff) > 180 && (pictures[centre + 1] & 0xff) < 70
        && (pictures[centre + 2] & 0xff) < 70;
    assertThat(Files.size(pcm) / 2).as("sound from the relay").isGreaterThanOrEqualTo(90_000);
    assertThat(red).as("the publisher's colour through the relay").isTrue();
    return source.whipSession();
  }

  /** {@code capstan channel token}, as a user runs it: the token is its last line. */
  private static String cliToken(String api, String cname, String uid) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    int exit;
    System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      exit = new picocli.CommandLine(new io.capstan.app.cli.ChannelCommand()).execute("token", "--channel", cname,
          "--uid", uid, "--ttl", "10m", "--api", api, "--auth", "key:secret", "--appid", "app1");
    } finally {
      System.setOut(stdout);
    }
    // The services of this JVM log to the same stdout: the command's own lines are picked out.
    List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
    assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(lines).contains("publish to: " + api + "/v1/apps/app1/whip/" + cname + "/" + uid);
    return lines.stream().map(String::trim).filter(l -> l.startsWith("v1.")).reduce((a, b) -> b).orElseThrow();
  }

  private HttpResponse<String> patch(String url, String type, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Deployment deployment(Path storage, WebhookReceiver receiver, String webhookSecret, boolean auth)
      throws IOException {
    Map<String, String> settings = new java.util.HashMap<>(Map.of(
        Config.BOOTSTRAP.name(), KafkaBroker.bootstrap(),
        "uploader.local.root", storage.toString(),
        "notifier.webhook.url", receiver.url(),
        "notifier.webhook.secret", webhookSecret,
        "notifier.allow.private", "true",
        "notifier.state.dir", storage.resolve(".notifier-state").toString()));
    if (auth) {
      settings.put("gateway.auth", "key:secret");
    }
    Deployment deployment = Deployment.start(Config.of(settings), ServiceCatalog.all(), 0);
    await().atMost(Duration.ofSeconds(60)).until(deployment::ready);
    return deployment;
  }

  private String acquire(String rest, String cname, String auth) throws Exception {
    return ok(post(rest + "acquire", "application/json",
        "{\"cname\":\"" + cname + "\",\"uid\":\"527841\",\"clientRequest\":{}}", auth)).path("resourceId").asText();
  }

  /** A 640x360 best-fit composite of the channel, HLS in the local bucket "rec". */
  private String startMix(String rest, String rid, String cname, int maxIdleSeconds, String auth) throws Exception {
    return ok(post(rest + "resourceid/" + rid + "/mode/mix/start", "application/json", """
        {"cname":"%s","uid":"527841","clientRequest":{
          "recordingConfig":{"channelType":0,"streamTypes":2,"maxIdleTime":%d,
            "transcodingConfig":{"width":640,"height":360,"fps":15,"bitrate":600,"mixedVideoLayout":1}},
          "recordingFileConfig":{"avFileType":["hls"]},
          "storageConfig":{"vendor":99,"region":0,"bucket":"rec","accessKey":"ak","secretKey":"sk"}}}
        """.formatted(cname, maxIdleSeconds), auth)).path("sid").asText();
  }

  private JsonNode stop(String rest, String rid, String sid, String mode, String cname, String auth) throws Exception {
    return ok(post(rest + "resourceid/" + rid + "/sid/" + sid + "/mode/" + mode + "/stop", "application/json",
        "{\"cname\":\"" + cname + "\",\"uid\":\"527841\",\"clientRequest\":{}}", auth));
  }

  private static boolean joined(WebhookReceiver receiver, String sid, String uid) {
    return states(receiver, sid, uid, 0) >= 1;
  }

  private static boolean left(WebhookReceiver receiver, String sid, String uid) {
    return states(receiver, sid, uid, 1) >= 1;
  }

  /** How many times both an audio and a video stream state event (43, 44) of {@code uid} said {@code state}. */
  private static int states(WebhookReceiver receiver, String sid, String uid, int state) {
    int audio = 0;
    int video = 0;
    for (WebhookReceiver.Callback c : receiver.received()) {
      JsonNode details = c.envelope().path("payload").path("details");
      if (sid.equals(c.envelope().path("payload").path("sid").asText())
          && uid.equals(details.path("streamUid").asText()) && details.path("state").asInt() == state) {
        audio += c.eventType() == 43 ? 1 : 0;
        video += c.eventType() == 44 ? 1 : 0;
      }
    }
    return Math.min(audio, video);
  }

  /** FFmpeg's whip muxer publishing a colour and a tone, H.264 and Opus, at real time. */
  private static Process publish(String endpoint, String token, String colour, int toneHz) throws IOException {
    String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    return new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "warning", "-re",
        "-f", "lavfi", "-i", "color=c=" + colour + ":size=640x360:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=" + toneHz + ":sample_rate=48000",
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "baseline", "-g", "30",
        "-bf", "0", "-pix_fmt", "yuv420p", "-c:a", "libopus", "-ar", "48000", "-ac", "2",
        "-f", "whip", "-authorization", token, endpoint)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /** Asks FFmpeg to finish ('q'), which ends its WHIP session; kills it if it does not. */
  private static void end(Process ffmpeg) throws Exception {
    if (!ffmpeg.isAlive()) {
      return;
    }
    try (OutputStream in = ffmpeg.getOutputStream()) {
      in.write('q');
      in.flush();
    } catch (IOException ignored) {
      // it is ending already
    }
    if (!ffmpeg.waitFor(10, TimeUnit.SECONDS)) {
      ffmpeg.destroyForcibly();
    }
  }

  private String token(String url) throws Exception {
    JsonNode minted = ok(post(url, "application/json", "{\"ttlSeconds\": 600}", AUTH));
    assertThat(minted.path("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis());
    return minted.path("token").asText();
  }

  /** The middle picture of a slice (BGR) and its sound (first channel). */
  private record Look(int width, int height, byte[] bgr, List<byte[]> everySecond, short[] pcm, int sampleRate) {
    boolean anyPicture(java.util.function.Predicate<byte[]> test) {
      return everySecond.stream().anyMatch(test);
    }

    boolean isRed(byte[] picture, int x, int y) {
      int i = (y * width + x) * 3;
      return picture.length > i + 2 && (picture[i + 2] & 0xff) > 180 && (picture[i + 1] & 0xff) < 70 && (picture[i] & 0xff) < 70;
    }

    boolean isBlue(byte[] picture, int x, int y) {
      int i = (y * width + x) * 3;
      return picture.length > i + 2 && (picture[i] & 0xff) > 180 && (picture[i + 2] & 0xff) < 70 && (picture[i + 1] & 0xff) < 70;
    }

    /** How far a tone stands out: its Goertzel power over that of 3 kHz, where neither publisher sends anything. */
    double tone(int hz) {
      return power(hz) / Math.max(1e-9, power(3000));
    }

    private double power(int hz) {
      double coefficient = 2 * Math.cos(2 * Math.PI * hz / sampleRate);
      double s1 = 0;
      double s2 = 0;
      for (short sample : pcm) {
        double s0 = sample + coefficient * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / Math.max(1, pcm.length);
    }

    int[] at(int x, int y) {
      int i = (y * width + x) * 3;
      return new int[] {bgr[i + 2] & 0xff, bgr[i + 1] & 0xff, bgr[i] & 0xff};
    }

    boolean isRed(int x, int y) {
      int[] rgb = at(x, y);
      return rgb[0] > 180 && rgb[1] < 70 && rgb[2] < 70;
    }

    boolean isBlue(int x, int y) {
      int[] rgb = at(x, y);
      return rgb[2] > 180 && rgb[0] < 70 && rgb[1] < 70;
    }
  }

  private static Look look(Path slice) throws Exception {
    Look look;
    try {
      look = decode(slice);
    } catch (Exception e) {
      throw new AssertionError(keep(slice) + " does not decode", e);
    }
    if (look.bgr().length < look.width() * look.height() * 3 || look.width() <= 1) {
      // Official CI runs (not this machine's) twice saw a recording's last slice without a picture.
      throw new AssertionError(keep(slice) + " decodes to no picture (" + look.pcm().length + " sound samples)");
    }
    return look;
  }

  /** Keeps a slice and its playlist for a look with ffprobe (the temp storage goes with the test); says where. */
  private static String keep(Path slice) throws Exception {
    Path kept = Path.of("target", "undecodable-slices", slice.getFileName().toString());
    Files.createDirectories(kept.getParent());
    StringBuilder what = new StringBuilder(slice.getFileName() + " (" + (Files.exists(slice) ? Files.size(slice)
        + " bytes" : "missing"));
    if (Files.exists(slice)) {
      Files.copy(slice, kept, StandardCopyOption.REPLACE_EXISTING);
      what.append(", kept as ").append(kept.toAbsolutePath());
    }
    try (var siblings = Files.list(slice.getParent())) {
      for (Path playlist : siblings.filter(p -> p.toString().endsWith(".m3u8")).toList()) {
        Files.copy(playlist, kept.resolveSibling(playlist.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        what.append("; ").append(playlist.getFileName()).append(":\n").append(Files.readString(playlist));
      }
    }
    return what.append(")").toString();
  }

  private static Look decode(Path slice) throws Exception {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    List<byte[]> pictures = new ArrayList<>();
    int width = 0;
    int height = 0;
    java.io.ByteArrayOutputStream pcm = new java.io.ByteArrayOutputStream();
    int sampleRate = 48_000;
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(slice.toFile())) {
      grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_S16);
      grabber.start();
      sampleRate = grabber.getSampleRate() > 0 ? grabber.getSampleRate() : sampleRate;
      Frame frame;
      while ((frame = grabber.grab()) != null) {
        if (frame.image != null) {
          width = frame.imageWidth;
          height = frame.imageHeight;
          ByteBuffer image = (ByteBuffer) frame.image[0];
          byte[] packed = new byte[width * height * 3];
          for (int y = 0; y < height; y++) {
            image.position(y * frame.imageStride);
            image.get(packed, y * width * 3, width * 3);
          }
          pictures.add(packed);
        } else if (frame.samples != null && frame.samples[0] instanceof ShortBuffer samples) {
          int channels = frame.samples.length == 1 ? frame.audioChannels : 1;
          for (int i = 0; i + channels <= samples.limit(); i += channels) {
            short v = samples.get(i);
            pcm.write(v & 0xff);
            pcm.write((v >> 8) & 0xff);
          }
        }
      }
    }
    byte[] bytes = pcm.toByteArray();
    short[] mono = new short[bytes.length / 2];
    ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(mono);
    byte[] middle = pictures.isEmpty() ? new byte[3] : pictures.get(pictures.size() / 2);
    List<byte[]> everySecond = new ArrayList<>();
    for (int i = 0; i < pictures.size(); i += 15) {
      everySecond.add(pictures.get(i));
    }
    return new Look(Math.max(1, width), Math.max(1, height), middle, everySecond, mono, sampleRate);
  }

  private HttpResponse<String> post(String url, String type, String body, String auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
