package io.capstan.gateway.mapping;

import static io.capstan.gateway.mapping.Bodies.INDIVIDUAL_START;
import static io.capstan.gateway.mapping.Bodies.MIX_CUSTOM_LAYOUT;
import static io.capstan.gateway.mapping.Bodies.MIX_START;
import static io.capstan.gateway.mapping.Bodies.WEB_START;
import static io.capstan.gateway.mapping.Bodies.edit;
import static io.capstan.gateway.mapping.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.LayoutRegion;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Source;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.StreamMode;
import io.capstan.schemas.StreamTypes;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.UserBackground;
import io.capstan.schemas.VideoStreamType;
import io.capstan.schemas.Webhook;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StartRequestMapperTest {

  private static final String SID = "38f8e3cfdc474cd56fc1ceba380d7e1a";
  private static final String RID = "rid-of-the-test";
  private final StartRequestMapper mapper = new StartRequestMapper(StartRequestMapper.Options.DEFAULTS);

  private JobSpec map(JsonNode body, String mode) {
    return mapper.map(body, mode, new StartContext("app1", RID, mode.equals("web") ? 1 : 0, SID)).spec();
  }

  @Test
  void mixStartOfTheDocumentedExample() {
    StartRequest request = mapper.map(parse(MIX_START), "mix", new StartContext("app1", RID, 0, SID));
    assertThat(request.caller()).isEqualTo(new Caller("httpClient463224", "527841"));
    JobSpec spec = request.spec();
    assertThat(spec.getJobId()).isEqualTo(SID);
    assertThat(spec.getResourceId()).isEqualTo(RID);
    assertThat(spec.getAppId()).isEqualTo("app1");
    assertThat(spec.getChannel()).isEqualTo("httpClient463224");
    assertThat(spec.getRecorderUid()).isEqualTo("527841");
    assertThat(spec.getMode()).isEqualTo(RecordingMode.COMPOSITE);
    assertThat(spec.getMaxIdleTimeSeconds()).isEqualTo(30);
    assertThat(spec.getStreamTypes()).isEqualTo(StreamTypes.AUDIO_AND_VIDEO);
    assertThat(spec.getAudioProfile()).isEqualTo(1);
    assertThat(spec.getChannelType()).isZero();
    assertThat(spec.getVideoStreamType()).isEqualTo(VideoStreamType.HIGH);
    assertThat(spec.getSubscriptions().getVideoUids()).containsExactly("123", "456");
    assertThat(spec.getSubscriptions().getAudioUids()).containsExactly("123", "456");
    assertThat(spec.getSubscriptions().getUnsubscribeAudioUids()).isNull();
    Transcoding t = spec.getTranscoding();
    assertThat(List.of(t.getWidth(), t.getHeight(), t.getFps(), t.getBitrateKbps())).containsExactly(360, 640, 15, 500);
    assertThat(t.getLayout().getMixedVideoLayout()).isEqualTo(1);
    assertThat(t.getLayout().getBackgroundColor()).isEqualTo("#FF0000");
    assertThat(t.getLayout().getRegions()).isEmpty();
    assertThat(spec.getFiles().getAvFileType()).containsExactly("hls", "mp4");
    assertThat(spec.getFiles().getSliceSeconds()).isEqualTo(10);
    StorageConfig storage = spec.getStorage();
    assertThat(storage.getVendor()).isEqualTo(2);
    assertThat(storage.getRegion()).isEqualTo("3");
    assertThat(storage.getBucket()).isEqualTo("xxxxx");
    assertThat(storage.getAccessKey()).isEqualTo("xxxxxxf");
    assertThat(storage.getSecretKey()).isEqualTo("xxxxx");
    assertThat(storage.getFileNamePrefix()).containsExactly("directory1", "directory2");
    assertThat(spec.getSources()).isEmpty();
    assertThat(spec.getPacing()).isEqualTo(Pacing.REALTIME);
    assertThat(spec.getWebhooks()).isEmpty();
    assertThat(spec.getSnapshots()).isNull();
    assertThat(spec.getStartedUtcMs()).isZero();
    assertThat(spec.getRunning()).isTrue();
  }

  @Test
  void customLayoutRegionsAndBackgrounds() {
    JobSpec spec = map(parse(MIX_CUSTOM_LAYOUT), "mix");
    assertThat(spec.getChannelType()).isEqualTo(1);
    Transcoding t = spec.getTranscoding();
    assertThat(List.of(t.getWidth(), t.getHeight(), t.getFps(), t.getBitrateKbps())).containsExactly(1280, 720, 30, 2260);
    assertThat(t.getLayout().getMixedVideoLayout()).isEqualTo(3);
    assertThat(t.getLayout().getBackgroundColor()).isEqualTo("#00FF00");
    assertThat(t.getLayout().getBackgroundImage()).isEqualTo("https://example.com/bg.png");
    assertThat(t.getLayout().getDefaultUserBackgroundImage()).isEqualTo("https://example.com/user.png");
    assertThat(t.getLayout().getRegions()).containsExactly(
        LayoutRegion.newBuilder().setUid("1").setX(0).setY(0).setWidth(0.5).setHeight(1).setAlpha(1).setRenderMode(1).build(),
        LayoutRegion.newBuilder().setUid(null).setX(0.5).setY(0.25).setWidth(0.5).setHeight(0.5).setAlpha(0.5)
            .setRenderMode(0).build());
    assertThat(t.getLayout().getUserBackgrounds()).containsExactly(
        UserBackground.newBuilder().setUid("1").setImageUrl("https://example.com/1.png").setRenderMode(0).build());
    assertThat(spec.getStorage().getExtensionParams()).isEqualTo(Map.of("sse", "kms", "tag", "project=demo"));
    assertThat(spec.getStorage().getRegion()).isEqualTo("0");
  }

  @Test
  void individualStartWithSnapshots() {
    JobSpec spec = map(parse(INDIVIDUAL_START), "individual");
    assertThat(spec.getMode()).isEqualTo(RecordingMode.INDIVIDUAL);
    assertThat(spec.getStreamMode()).isEqualTo(StreamMode.STANDARD);
    assertThat(spec.getMaxIdleTimeSeconds()).isEqualTo(120);
    assertThat(spec.getVideoStreamType()).isEqualTo(VideoStreamType.LOW);
    assertThat(spec.getDecryption().getMode()).isEqualTo(5);
    assertThat(spec.getDecryption().getSecret()).isEqualTo("s3cret-passphrase");
    assertThat(spec.getSubscriptions().getAudioUids()).isNull();
    assertThat(spec.getSubscriptions().getUnsubscribeAudioUids()).containsExactly("999");
    assertThat(spec.getSubscriptions().getVideoUids()).isNull();
    assertThat(spec.getTranscoding()).isNull();
    assertThat(spec.getSnapshots().getCaptureIntervalSeconds()).isEqualTo(5);
    assertThat(spec.getSnapshots().getFileType()).containsExactly("jpg");
    // snapshotConfig without recordingFileConfig: the hosted product's screenshot recording, no audio/video files.
    assertThat(spec.getFiles().getAvFileType()).isEmpty();
  }

  @Test
  void webStartMapsThePageAsTheOnlySourceAndItsViewportAsTheCanvas() {
    JobSpec spec = map(parse(WEB_START), "web");
    assertThat(spec.getMode()).isEqualTo(RecordingMode.WEB);
    assertThat(spec.getSources()).containsExactly(Source.newBuilder().setUid("web")
        .setUrl("https://www.example.com/class?id=1").build());
    Transcoding t = spec.getTranscoding();
    assertThat(List.of(t.getWidth(), t.getHeight(), t.getFps(), t.getBitrateKbps())).containsExactly(1280, 720, 15, 2000);
    assertThat(spec.getFiles().getMaxFileDurationMinutes()).isEqualTo(200);
    assertThat(spec.getFiles().getAvFileType()).containsExactly("hls", "mp4");
    assertThat(spec.getAudioProfile()).isZero();
    assertThat(spec.getStorage().getVendor()).isEqualTo(2);
  }

  @Test
  void webBitrateDefaultsTo1500BelowHd() {
    JsonNode body = edit(WEB_START, "/clientRequest/extensionServiceConfig/extensionServices/0/serviceParam/videoHeight",
        "480");
    assertThat(map(body, "web").getTranscoding().getBitrateKbps()).isEqualTo(1500);
  }

  @Test
  void allStreamsIsEveryoneAndDefaultsApply() {
    JobSpec spec = map(parse("""
        {"cname": "room", "uid": "1", "clientRequest": {"recordingConfig": {
          "subscribeAudioUids": ["#allstream#"], "unSubscribeVideoUids": ["7"]}}}
        """), "mix");
    assertThat(spec.getSubscriptions().getAudioUids()).isNull();
    assertThat(spec.getSubscriptions().getUnsubscribeVideoUids()).containsExactly("7");
    assertThat(spec.getMaxIdleTimeSeconds()).isEqualTo(30);
    assertThat(spec.getAudioProfile()).isZero();
    Transcoding t = spec.getTranscoding();
    assertThat(List.of(t.getWidth(), t.getHeight(), t.getFps(), t.getBitrateKbps())).containsExactly(360, 640, 15, 500);
    assertThat(t.getLayout().getMixedVideoLayout()).isZero();
    assertThat(t.getLayout().getBackgroundColor()).isEqualTo("#000000");
    assertThat(spec.getFiles().getAvFileType()).containsExactly("hls");
    assertThat(spec.getFiles().getMaxFileDurationMinutes()).isEqualTo(120);
    // Capstan rule: no storageConfig = the uploader's local storage.
    assertThat(spec.getStorage()).isNull();
  }

  @Test
  void capstanExtensions() {
    StartRequestMapper filesAllowed = new StartRequestMapper(new StartRequestMapper.Options(true));
    JobSpec spec = filesAllowed.map(parse("""
        {
          "cname": "demo",
          "uid": "42",
          "clientRequest": {
            "recordingConfig": {"streamTypes": 2},
            "recordingFileConfig": {"avFileType": ["hls"], "sliceSeconds": 4, "maxFileDuration": 60},
            "storageConfig": {"vendor": 99, "bucket": "local-demo", "fileNamePrefix": ["demo"]},
            "notificationConfig": {"url": "https://hooks.example.com/capstan", "secret": "hook-secret",
                                   "eventTypes": [31, 11, 1001]},
            "sources": [
              {"uid": "alice", "url": "file:///media/alice.mp4"},
              {"uid": "bob", "url": "file:///media/bob.mp4", "lowUrl": "file:///media/bob-low.mp4",
               "audio": false}
            ],
            "pacing": "fast"
          }
        }
        """), "mix", new StartContext("app1", RID, 0, SID)).spec();
    assertThat(spec.getStorage().getVendor()).isEqualTo(99);
    assertThat(spec.getStorage().getBucket()).isEqualTo("local-demo");
    assertThat(spec.getStorage().getAccessKey()).isNull();
    assertThat(spec.getStorage().getRegion()).isEqualTo("0");
    assertThat(spec.getFiles().getSliceSeconds()).isEqualTo(4);
    assertThat(spec.getFiles().getMaxFileDurationMinutes()).isEqualTo(60);
    assertThat(spec.getWebhooks()).containsExactly(Webhook.newBuilder().setUrl("https://hooks.example.com/capstan")
        .setSecret("hook-secret").setEventTypes(List.of(31, 11, 1001)).build());
    assertThat(spec.getSources()).containsExactly(
        Source.newBuilder().setUid("alice").setUrl("file:///media/alice.mp4").build(),
        Source.newBuilder().setUid("bob").setUrl("file:///media/bob.mp4")
            .setLowUrl("file:///media/bob-low.mp4").setAudio(false).build());
    assertThat(spec.getPacing()).isEqualTo(Pacing.FAST);
  }

  @Test
  void selfHostedS3EndpointAndRegionNames() {
    JobSpec spec = map(parse("""
        {"cname": "room", "uid": "1", "clientRequest": {"recordingConfig": {},
          "storageConfig": {"vendor": 1, "region": "eu-west-1", "bucket": "rec", "accessKey": "minio",
                            "secretKey": "minio123", "endpoint": "http://127.0.0.1:9000",
                            "stsToken": "token", "stsExpiration": 1893456000}}}
        """), "mix");
    assertThat(spec.getStorage().getRegion()).isEqualTo("eu-west-1");
    assertThat(spec.getStorage().getEndpoint()).isEqualTo("http://127.0.0.1:9000");
    assertThat(spec.getStorage().getStsToken()).isEqualTo("token");
    assertThat(spec.getStorage().getStsExpiration()).isEqualTo(1893456000L);
    JobSpec vendor11 = map(parse("""
        {"cname": "room", "uid": "1", "clientRequest": {"recordingConfig": {},
          "storageConfig": {"vendor": 11, "region": 0, "bucket": "rec", "accessKey": "a", "secretKey": "s",
                            "extensionParams": {"endpoint": "s3.internal:9000"}}}}
        """), "mix");
    assertThat(vendor11.getStorage().getExtensionParams()).containsEntry("endpoint", "s3.internal:9000");
  }

  static Stream<Arguments> invalidBodies() {
    String tc = "/clientRequest/recordingConfig/transcodingConfig";
    String rc = "/clientRequest/recordingConfig";
    String sc = "/clientRequest/storageConfig";
    String web = "/clientRequest/extensionServiceConfig/extensionServices/0/serviceParam";
    String tcPath = "clientRequest.recordingConfig.transcodingConfig";
    String layout = tcPath + ".layoutConfig[0]";
    String webPath = "clientRequest.extensionServiceConfig.extensionServices[0].serviceParam";
    String eighteen = IntStream.rangeClosed(1, 18).mapToObj(i -> "\"" + i + "\"").collect(Collectors.joining(",", "[", "]"));
    return Stream.of(
        // transcodingConfig
        arguments("mix", MIX_START, tc + "/width", "4000", tcPath + ".width: must be between 16 and 1920, got 4000"),
        arguments("mix", MIX_START, tc + "/width", "361", tcPath + ".width: must be even"),
        arguments("mix", MIX_START, tc, "{\"width\": 1920, \"height\": 1920}", tcPath + ".height: width x height must be at most 1920 x 1080"),
        arguments("mix", MIX_START, tc + "/fps", "60", tcPath + ".fps: must be between 1 and 30, got 60"),
        arguments("mix", MIX_START, tc + "/bitrate", "\"500\"", tcPath + ".bitrate: must be an integer"),
        arguments("mix", MIX_START, tc + "/mixedVideoLayout", "4", tcPath + ".mixedVideoLayout: must be between 0 and 3, got 4"),
        arguments("mix", MIX_START, tc + "/backgroundColor", "\"red\"", tcPath + ".backgroundColor: must be #RRGGBB"),
        arguments("mix", MIX_START, tc + "/layoutConfig", "[{\"x_axis\":0,\"y_axis\":0,\"width\":1,\"height\":1}]",
            tcPath + ".layoutConfig: only with mixedVideoLayout 3"),
        arguments("mix", MIX_START, tc + "/mixedVideoLayout", "3", tcPath + ".layoutConfig: required with mixedVideoLayout 3"),
        arguments("mix", MIX_CUSTOM_LAYOUT, tc + "/layoutConfig/0/x_axis", "1.5", layout + ".x_axis: must be between 0 and 1, got 1.5"),
        arguments("mix", MIX_CUSTOM_LAYOUT, tc + "/layoutConfig/0/height", null, layout + ".height: missing"),
        arguments("mix", MIX_CUSTOM_LAYOUT, tc + "/layoutConfig/0/x_axis", "0.6", layout + ".width: x_axis + width must be at most 1"),
        arguments("mix", MIX_CUSTOM_LAYOUT, tc + "/layoutConfig/0/alpha", "2", layout + ".alpha: must be between 0 and 1, got 2"),
        arguments("mix", MIX_CUSTOM_LAYOUT, tc + "/layoutConfig/0/render_mode", "2", layout + ".render_mode: must be between 0 and 1"),
        arguments("mix", MIX_CUSTOM_LAYOUT, tc + "/backgroundConfig/0/image_url", "\"ftp://example.com/1.png\"",
            tcPath + ".backgroundConfig[0].image_url: must be an absolute URL with scheme http, https"),
        arguments("mix", MIX_CUSTOM_LAYOUT, tc + "/backgroundImage", "\"bg.png\"",
            tcPath + ".backgroundImage: must be an absolute URL"),
        arguments("individual", INDIVIDUAL_START, rc + "/transcodingConfig", "{}",
            "clientRequest.recordingConfig.transcodingConfig: only in mix mode"),
        // recordingConfig
        arguments("mix", MIX_START, rc + "/maxIdleTime", "1", "clientRequest.recordingConfig.maxIdleTime: must be between 5 and 2592000, got 1"),
        arguments("mix", MIX_START, rc + "/streamTypes", "3", "clientRequest.recordingConfig.streamTypes: must be between 0 and 2, got 3"),
        arguments("mix", MIX_START, rc + "/channelType", "2", "clientRequest.recordingConfig.channelType: must be between 0 and 1"),
        arguments("mix", MIX_START, rc + "/audioProfile", "3", "clientRequest.recordingConfig.audioProfile: must be between 0 and 2"),
        arguments("mix", MIX_START, rc + "/videoStreamType", "2", "clientRequest.recordingConfig.videoStreamType: must be between 0 and 1"),
        arguments("individual", INDIVIDUAL_START, rc + "/streamMode", "\"av\"",
            "clientRequest.recordingConfig.streamMode: must be default, standard or original"),
        arguments("individual", INDIVIDUAL_START, rc + "/secret", null, "clientRequest.recordingConfig.secret: required with decryptionMode 5"),
        arguments("individual", INDIVIDUAL_START, rc + "/decryptionMode", "4", "clientRequest.recordingConfig.decryptionMode: 4 (sm4-128-ecb) cannot be mapped"),
        arguments("individual", INDIVIDUAL_START, rc + "/decryptionMode", "9", "clientRequest.recordingConfig.decryptionMode: must be between 0 and 8"),
        arguments("mix", MIX_START, rc + "/unSubscribeAudioUids", "[\"9\"]",
            "clientRequest.recordingConfig.unSubscribeAudioUids: not together with subscribeAudioUids"),
        arguments("mix", MIX_START, rc + "/subscribeVideoUids", eighteen,
            "clientRequest.recordingConfig.subscribeVideoUids: at most 17 video uids are mixed in one layout, got 18"),
        arguments("mix", MIX_START, rc + "/subscribeVideoUids", "[]", "clientRequest.recordingConfig.subscribeVideoUids: must name at least one uid"),
        arguments("mix", MIX_START, rc + "/subscribeAudioUids", "[123]", "clientRequest.recordingConfig.subscribeAudioUids[0]: must be a non-empty string"),
        arguments("mix", MIX_START, rc + "/subscribeUidGroup", "6", "clientRequest.recordingConfig.subscribeUidGroup: must be between 0 and 5"),
        // recordingFileConfig, snapshotConfig
        arguments("mix", MIX_START, "/clientRequest/recordingFileConfig/avFileType", "[\"mp4\"]",
            "clientRequest.recordingFileConfig.avFileType: must be [\"hls\"] or [\"hls\", \"mp4\"]"),
        arguments("mix", MIX_START, "/clientRequest/recordingFileConfig/sliceSeconds", "1",
            "clientRequest.recordingFileConfig.sliceSeconds: must be between 2 and 30"),
        arguments("mix", MIX_START, "/clientRequest/snapshotConfig", "{\"captureInterval\": 10, \"fileType\": [\"jpg\"]}",
            "clientRequest.snapshotConfig: only in individual mode"),
        arguments("individual", INDIVIDUAL_START, "/clientRequest/snapshotConfig/captureInterval", "4",
            "clientRequest.snapshotConfig.captureInterval: must be between 5 and 3600, got 4"),
        arguments("individual", INDIVIDUAL_START, "/clientRequest/snapshotConfig/fileType", "[\"png\"]",
            "clientRequest.snapshotConfig.fileType: must be [\"jpg\"]"),
        arguments("individual", INDIVIDUAL_START, rc + "/streamTypes", "0",
            "clientRequest.snapshotConfig: needs video"),
        // storageConfig
        arguments("mix", MIX_START, sc + "/vendor", "9", "clientRequest.storageConfig.vendor: must be one of 0-8, 11 or 99"),
        arguments("mix", MIX_START, sc + "/vendor", null, "clientRequest.storageConfig.vendor: missing"),
        arguments("mix", MIX_START, sc + "/bucket", null, "clientRequest.storageConfig.bucket: missing"),
        arguments("mix", MIX_START, sc + "/bucket", "\"../etc\"", "clientRequest.storageConfig.bucket: letters, digits"),
        arguments("mix", MIX_START, sc + "/accessKey", null, "clientRequest.storageConfig.accessKey: missing"),
        arguments("mix", MIX_START, sc + "/secretKey", "42", "clientRequest.storageConfig.secretKey: must be a string"),
        arguments("mix", MIX_START, sc + "/region", null, "clientRequest.storageConfig.region: missing"),
        arguments("mix", MIX_CUSTOM_LAYOUT, sc + "/region", "17", "clientRequest.storageConfig.region: unknown Amazon S3 region code 17"),
        arguments("mix", MIX_START, sc + "/region", "\"EU West\"", "clientRequest.storageConfig.region: must be the vendor's region code"),
        arguments("mix", MIX_START, sc + "/fileNamePrefix", "[\"dir-1\"]", "clientRequest.storageConfig.fileNamePrefix[0]: letters and digits only"),
        arguments("mix", MIX_START, sc + "/fileNamePrefix", "[\"" + "a".repeat(100) + "\",\"" + "b".repeat(30) + "\"]",
            "clientRequest.storageConfig.fileNamePrefix: the joined prefix must be at most 128 characters"),
        arguments("mix", MIX_CUSTOM_LAYOUT, sc + "/extensionParams/sse", "\"des\"", "clientRequest.storageConfig.extensionParams.sse: must be kms or aes256"),
        arguments("mix", MIX_CUSTOM_LAYOUT, sc + "/extensionParams/tag", "\"demo\"", "clientRequest.storageConfig.extensionParams.tag: must be key=value"),
        arguments("mix", MIX_START, sc + "/stsExpiration", "1893456000",
            "clientRequest.storageConfig.stsExpiration: only together with stsToken"),
        arguments("mix", MIX_START, sc,
            "{\"vendor\": 4, \"region\": 0, \"bucket\": \"b\", \"accessKey\": \"a\", \"secretKey\": \"s\", \"stsToken\": \"t\"}",
            "clientRequest.storageConfig.stsToken: only for vendors 1, 2 and 3"),
        arguments("mix", MIX_CUSTOM_LAYOUT, sc + "/vendor", "11", "clientRequest.storageConfig.extensionParams: vendor 11 needs"),
        arguments("mix", MIX_CUSTOM_LAYOUT, sc + "/endpoint", "\"minio:9000\"", "clientRequest.storageConfig.endpoint: must be an absolute URL"),
        // Capstan extensions
        arguments("mix", MIX_START, "/clientRequest/notificationConfig", "{\"secret\": \"s\"}", "clientRequest.notificationConfig.url: missing"),
        arguments("mix", MIX_START, "/clientRequest/notificationConfig", "{\"url\": \"https://h.example.com\", \"eventTypes\": [5]}",
            "clientRequest.notificationConfig.eventTypes[0]: not a callback event type of the reference: 5"),
        arguments("mix", MIX_START, "/clientRequest/sources", "[{\"uid\": \"a\", \"url\": \"ftp://example.com/a\"}]",
            "clientRequest.sources[0].url: scheme 'ftp' is not supported"),
        arguments("mix", MIX_START, "/clientRequest/sources", "[{\"uid\": \"a\", \"url\": \"file:///etc/passwd\"}]",
            "clientRequest.sources[0].url: file sources are disabled (gateway.sources.files)"),
        arguments("mix", MIX_START, "/clientRequest/sources", "[{\"uid\": \"a\", \"url\": \"lavfi:movie=/etc/passwd[out0]\"}]",
            "clientRequest.sources[0].url: lavfi: filter 'movie' is not allowed"),
        arguments("mix", MIX_START, "/clientRequest/sources", "[{\"uid\": \"a\", \"url\": \"rtmp://169.254.169.254/live\"}]",
            "clientRequest.sources[0].url: host '169.254.169.254' is a loopback, link-local or private address"),
        arguments("mix", MIX_START, "/clientRequest/sources",
            "[{\"uid\": \"a\", \"url\": \"srt://h:9000\"}, {\"uid\": \"a\", \"url\": \"srt://h:9001\"}]",
            "clientRequest.sources[1].uid: 'a' is given twice"),
        arguments("mix", MIX_START, "/clientRequest/sources", "[{\"url\": \"srt://h:9000\"}]", "clientRequest.sources[0].uid: missing"),
        arguments("mix", MIX_START, "/clientRequest/pacing", "\"slow\"", "clientRequest.pacing: must be realtime or fast"),
        arguments("mix", MIX_START, "/clientRequest/pacing", "\"fast\"", "clientRequest.pacing: fast needs clientRequest.sources"),
        // the request's frame
        arguments("mix", MIX_START, "/cname", null, "cname: missing"),
        arguments("mix", MIX_START, "/cname", "\"a/b\"", "cname: only letters"),
        arguments("mix", MIX_START, "/cname", "\"" + "c".repeat(65) + "\"", "cname: at most 64 bytes"),
        arguments("mix", MIX_START, "/uid", "527841", "uid: must be a string of digits"),
        arguments("mix", MIX_START, "/uid", "\"0\"", "uid: must be a string of digits between 1 and 4294967295"),
        arguments("mix", MIX_START, "/uid", "\"abc\"", "uid: must be a string of digits between 1 and 4294967295"),
        arguments("mix", MIX_START, "/clientRequest", null, "clientRequest: missing"),
        arguments("mix", MIX_START, "/clientRequest", "[]", "clientRequest: must be a JSON object"),
        arguments("mix", MIX_START, "/clientRequest/recordingConfig", null, "clientRequest.recordingConfig: missing"),
        arguments("mix", MIX_START, "/clientRequest/extensionServiceConfig", "{}", "clientRequest.extensionServiceConfig: only in web mode"),
        arguments("mix", MIX_START, "/clientRequest/appsCollection", "{\"combinationPolicy\": \"postpone_transcoding\"}",
            "clientRequest.appsCollection: postpone_transcoding is for individual mode only"),
        // web mode
        arguments("web", WEB_START, web + "/url", null, webPath + ".url: missing"),
        arguments("web", WEB_START, web + "/url", "\"javascript:alert(1)\"", webPath + ".url: must be an absolute URL with scheme http, https"),
        arguments("web", WEB_START, web + "/audioProfile", null, webPath + ".audioProfile: missing"),
        arguments("web", WEB_START, web + "/videoWidth", "200", webPath + ".videoWidth: must be between 240 and 1920, got 200"),
        arguments("web", WEB_START, web + "/videoHeight", "1920", webPath + ".videoHeight: videoWidth x videoHeight must be at most 1920 x 1080"),
        arguments("web", WEB_START, web + "/maxRecordingHour", "0", webPath + ".maxRecordingHour: must be between 1 and 720, got 0"),
        arguments("web", WEB_START, web + "/maxRecordingHour", null, webPath + ".maxRecordingHour: missing"),
        arguments("web", WEB_START, web + "/videoFps", "61", webPath + ".videoFps: must be between 5 and 60, got 61"),
        arguments("web", WEB_START, web + "/maxVideoDuration", "20", webPath + ".maxVideoDuration: must be between 30 and 240, got 20"),
        arguments("web", WEB_START, web + "/readyTimeout", "61", webPath + ".readyTimeout: must be between 0 and 60, got 61"),
        arguments("web", WEB_START, web + "/mobile", "\"yes\"", webPath + ".mobile: must be true or false"),
        arguments("web", WEB_START, "/clientRequest/extensionServiceConfig/extensionServices/0/serviceName", "\"recorder\"",
            "clientRequest.extensionServiceConfig.extensionServices[0].serviceName: must be web_recorder_service or rtmp_publish_service"),
        arguments("web", WEB_START, "/clientRequest/extensionServiceConfig/extensionServices/1/serviceParam/outputs",
            "[{\"rtmpUrl\": \"rtmp://a/b\"}, {\"rtmpUrl\": \"rtmp://c/d\"}]",
            "clientRequest.extensionServiceConfig.extensionServices[1].serviceParam.outputs: must hold exactly one {rtmpUrl}"),
        arguments("web", WEB_START, "/clientRequest/extensionServiceConfig/extensionServices/1/serviceParam/outputs/0",
            "{\"rtmpUrl\": \"http://live.example.com/app\"}",
            "clientRequest.extensionServiceConfig.extensionServices[1].serviceParam.outputs[0].rtmpUrl: must be an absolute URL with scheme rtmp, rtmps"),
        arguments("web", WEB_START, "/clientRequest/extensionServiceConfig/errorHandlePolicy", "\"error_ignore\"",
            "clientRequest.extensionServiceConfig.errorHandlePolicy: must be error_abort"),
        arguments("web", WEB_START, "/clientRequest/extensionServiceConfig", null, "clientRequest.extensionServiceConfig: missing"),
        arguments("web", WEB_START, "/clientRequest/recordingConfig", "{}", "clientRequest.recordingConfig: not used in web mode"),
        arguments("web", WEB_START, "/clientRequest/recordingFileConfig/avFileType", "[\"mp4\"]",
            "clientRequest.recordingFileConfig.avFileType: must be [\"hls\"] or [\"hls\", \"mp4\"]"));
  }

  @ParameterizedTest(name = "{4}")
  @MethodSource("invalidBodies")
  void everyInvalidFieldIsNamed(String mode, String body, String pointer, String value, String reason) {
    JsonNode edited = edit(body, pointer, value);
    assertThatThrownBy(() -> map(edited, mode))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith(reason);
  }

  @Test
  void modeAndSceneMustAgree() {
    assertThatThrownBy(() -> map(parse(MIX_START), "composite"))
        .hasMessage("mode: must be individual, mix or web, got 'composite'");
    assertThatThrownBy(() -> mapper.map(parse(WEB_START), "web", new StartContext("app1", RID, 0, SID)))
        .hasMessageStartingWith("resourceId: web mode needs a resourceId acquired with clientRequest.scene 1");
    assertThatThrownBy(() -> mapper.map(parse(MIX_START), "mix", new StartContext("app1", RID, 1, SID)))
        .hasMessageStartingWith("resourceId: acquired with clientRequest.scene 1, which is for web mode only");
  }
}
