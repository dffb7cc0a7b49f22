package io.capstan.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.source.SourcePolicy;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.Layout;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Source;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.WebRecording;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobSpecValidatorTest {

  /** What ingest checks with the operator's files allowed; the caller rules are tested below. */
  private static final JobSpecValidator VALIDATOR = new JobSpecValidator(
      new SourcePolicy(true, AddressPolicy.of(false)), SpecLimits.DEFAULTS);

  static Source source(String uid, String url) {
    return Source.newBuilder().setUid(uid).setUrl(url).build();
  }

  static Source colour(String uid, String colour, int frequency, int seconds) {
    return source(uid, "lavfi:color=c=" + colour + ":size=320x240:rate=15:duration=" + seconds + "[out0];"
        + "sine=frequency=" + frequency + ":sample_rate=48000:duration=" + seconds + "[out1]");
  }

  static JobSpec.Builder composite(String jobId, Pacing pacing, Source... sources) {
    return JobSpec.newBuilder().setJobId(jobId).setChannel("room-" + jobId).setMode(RecordingMode.COMPOSITE)
        .setPacing(pacing).setSources(List.of(sources)).setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().build())
        .setTranscoding(Transcoding.newBuilder().setWidth(640).setHeight(360).setFps(15)
            .setLayout(Layout.newBuilder().build()).build())
        .setFiles(FileConfig.newBuilder().build()).setStartedUtcMs(0);
  }

  private static JobSpec.Builder valid() {
    return composite("job-1", Pacing.FAST, colour("1", "red", 300, 3), source("2", "/media/talk.mp4"));
  }

  private static Optional<String> problem(JobSpec.Builder spec) {
    return VALIDATOR.problem(spec.build()).map(JobSpecValidator.Problem::toString);
  }

  private static Transcoding canvas(int width, int height, int fps) {
    return Transcoding.newBuilder(valid().getTranscoding()).setWidth(width).setHeight(height).setFps(fps).build();
  }

  @Test
  void acceptsAValidSpec() {
    assertThat(problem(valid())).isEmpty();
    assertThat(problem(valid().setPacing(Pacing.REALTIME).setSources(List.of(
        source("a", "rtmp://media.example/live/a"), source("b", "rtsps://cam.example/b"),
        source("c", "srt://media.example:9000"), source("d", "https://cdn.example/x.m3u8"),
        source("e", "file:/media/x.mp4"))))).isEmpty();
  }

  @Test
  void channelMustNotBeEmpty() {
    assertThat(problem(valid().setChannel(""))).hasValue("channel: must not be empty");
  }

  @Test
  void sourcesNeedAnAllowedUrl() {
    assertThat(problem(valid().setSources(List.of(source("1", "ftp://x.example/a.mp4")))))
        .get().asString().startsWith("sources[0].url: scheme 'ftp' is not supported");
    assertThat(problem(valid().setSources(List.of(source("1", "media/relative.mp4")))))
        .get().asString().startsWith("sources[0].url: must be an absolute path");
    assertThat(problem(valid().setSources(List.of(source("1", "lavfi:")))))
        .get().asString().startsWith("sources[0].url: lavfi: needs an FFmpeg filter graph");
    assertThat(problem(valid().setSources(List.of(source("1", "rtmp:nohost")))))
        .get().asString().startsWith("sources[0].url: 'rtmp' URL needs a host");
  }

  @Test
  void sourceUidsMustBeUniqueAndPresent() {
    assertThat(problem(valid().setSources(List.of(source("1", "/a.mp4"), source("1", "/b.mp4")))))
        .hasValue("sources[1].uid: '1' is listed twice");
    assertThat(problem(valid().setSources(List.of(source("", "/a.mp4")))))
        .hasValue("sources[0].uid: must not be empty");
  }

  @Test
  void aSourceMustRecordSomething() {
    Source nothing = Source.newBuilder(source("1", "/a.mp4")).setAudio(false).setVideo(false).build();
    assertThat(problem(valid().setSources(List.of(nothing)))).get().asString().startsWith("sources[0]: ");
  }

  @Test
  void maxIdleTimeIsBounded() {
    assertThat(problem(valid().setMaxIdleTimeSeconds(4))).get().asString().startsWith("maxIdleTimeSeconds: ");
    assertThat(problem(valid().setMaxIdleTimeSeconds(2_592_001))).get().asString().startsWith("maxIdleTimeSeconds: ");
    assertThat(problem(valid().setMaxIdleTimeSeconds(5))).isEmpty();
    assertThat(problem(valid().setMaxIdleTimeSeconds(2_592_000))).isEmpty();
  }

  @Test
  void canvasIsBounded() {
    assertThat(problem(valid().setTranscoding(canvas(1921, 720, 15)))).get().asString()
        .startsWith("transcoding.width: ");
    assertThat(problem(valid().setTranscoding(canvas(640, 1921, 15)))).get().asString()
        .startsWith("transcoding.height: ");
    assertThat(problem(valid().setTranscoding(canvas(1920, 1920, 15)))).get().asString()
        .startsWith("transcoding.width: width x height must be at most 1920 x 1080");
    assertThat(problem(valid().setTranscoding(canvas(1080, 1920, 15)))).isEmpty();
  }

  @Test
  void fpsIsBounded() {
    assertThat(problem(valid().setTranscoding(canvas(640, 360, 0)))).get().asString().startsWith("transcoding.fps: ");
    assertThat(problem(valid().setTranscoding(canvas(640, 360, 31)))).get().asString().startsWith("transcoding.fps: ");
  }

  @Test
  void allowAndDenyListsOfOneMediaExcludeEachOther() {
    assertThat(problem(valid().setSubscriptions(Subscriptions.newBuilder()
        .setAudioUids(List.of("1")).setUnsubscribeAudioUids(List.of("2")).build())))
        .get().asString().startsWith("subscriptions.unsubscribeAudioUids: ");
    assertThat(problem(valid().setSubscriptions(Subscriptions.newBuilder()
        .setVideoUids(List.of("1")).setUnsubscribeVideoUids(List.of("2")).build())))
        .get().asString().startsWith("subscriptions.unsubscribeVideoUids: ");
    assertThat(problem(valid().setSubscriptions(Subscriptions.newBuilder()
        .setAudioUids(List.of("1")).setUnsubscribeVideoUids(List.of("2")).build()))).isEmpty();
  }

  @Test
  void compositeMixesAtMost17VideoUids() {
    List<String> many = Collections.nCopies(18, "x");
    assertThat(problem(valid().setSubscriptions(Subscriptions.newBuilder().setVideoUids(many).build())))
        .get().asString().startsWith("subscriptions.videoUids: ");
  }

  @Test
  void fastPacingNeedsFilesNamedInTheJob() {
    assertThat(problem(valid().setSources(List.of(source("1", "rtmp://media.example/live/1")))))
        .get().asString().startsWith("pacing: FAST needs every source to be a file");
    assertThat(problem(valid().setSources(List.of()))).get().asString().startsWith("pacing: ");
    assertThat(problem(valid().setPacing(Pacing.REALTIME).setSources(List.of()))).isEmpty();
  }

  private static JobSpec.Builder web(WebRecording.Builder page) {
    return valid().setMode(RecordingMode.WEB).setPacing(Pacing.REALTIME).setWeb(page.build())
        .setTranscoding(canvas(640, 360, 15)).setSources(List.of(source("web", "https://app.example/board")));
  }

  @Test
  void aWebRecordingNeedsItsPageAndAViewport() {
    WebRecording.Builder page = WebRecording.newBuilder().setUrl("https://app.example/board");
    assertThat(problem(web(page))).isEmpty();
    assertThat(problem(web(page).setTranscoding(canvas(1280, 720, 60)))).isEmpty();
    assertThat(problem(valid().setMode(RecordingMode.WEB))).get().asString().startsWith("web: ");
    assertThat(problem(web(WebRecording.newBuilder().setUrl("ftp://x.example/"))))
        .get().asString().startsWith("web.url: ");
    assertThat(problem(web(WebRecording.newBuilder(page.build()).setMaxRecordingHour(0))))
        .get().asString().startsWith("web.maxRecordingHour: ");
    assertThat(problem(web(WebRecording.newBuilder(page.build()).setReadyTimeoutSeconds(61))))
        .get().asString().startsWith("web.readyTimeoutSeconds: ");
    assertThat(problem(web(WebRecording.newBuilder(page.build()).setRtmpUrls(List.of("http://x.example/live")))))
        .get().asString().startsWith("web.rtmpUrls[0]: ");
    assertThat(problem(web(page).setTranscoding(null))).get().asString().startsWith("transcoding: ");
    assertThat(problem(web(page).setTranscoding(canvas(641, 360, 15)))).get().asString().startsWith("transcoding.width: ");
  }

  @Test
  void decryptionModesThatCannotBeMappedAreRefused() {
    JobSpec.Builder srt = valid().setPacing(Pacing.REALTIME).setSources(List.of(source("1", "srt://m.example:9000")));
    assertThat(problem(srt.setDecryption(new Decryption(4, "0123456789abc", null))))
        .get().asString().startsWith("decryption.mode: 4 (sm4-128-ecb) cannot be mapped");
    assertThat(problem(srt.setDecryption(new Decryption(9, "0123456789abc", null))))
        .get().asString().startsWith("decryption.mode: 9 (unknown)");
    assertThat(problem(srt.setDecryption(new Decryption(5, "short", null))))
        .get().asString().startsWith("decryption.secret: ");
    assertThat(problem(srt.setDecryption(new Decryption(6, "0123456789abc", null)))).isEmpty();
    assertThat(problem(valid().setDecryption(new Decryption(5, "0123456789abc", null))))
        .get().asString().startsWith("decryption.mode: applies to srt sources only");
  }

  @Test
  void lavfiGraphsMayOnlyGenerate() {
    JobSpec.Builder live = valid().setPacing(Pacing.REALTIME);
    assertThat(problem(live.setSources(List.of(source("1", "lavfi:movie=/etc/passwd[out0]")))))
        .get().asString().startsWith("sources[0].url: lavfi: filter 'movie' is not allowed");
    assertThat(problem(live.setSources(List.of(source("1", "lavfi:sine[out1];amovie=http://10.0.0.1/a.mp3[out0]")))))
        .get().asString().contains("'amovie' is not allowed");
    assertThat(problem(live.setSources(List.of(source("1",
        "lavfi:color=c=red[out0],drawtext=textfile=/etc/passwd")))))
        .get().asString().contains("'drawtext' is not allowed");
    assertThat(problem(live.setSources(List.of(source("1", "lavfi:testsrc2,mo\\vie=x[out0]")))))
        .get().asString().contains("backslashes");
    assertThat(problem(live.setSources(List.of(source("1", "lavfi:testsrc2[out0];sine[out1]"))))).isEmpty();
    assertThat(problem(live.setSources(List.of(source("1",
        "lavfi:aevalsrc=0:s=48000:d=1[s];sine=d=2[t];[s][t]concat=n=2:v=0:a=1[out0]"))))).isEmpty();
  }

  @Test
  void fastJobsNeedSourcesThatEnd() {
    assertThat(problem(valid().setSources(List.of(source("1", "lavfi:testsrc2=size=320x240[out0]")))))
        .get().asString().startsWith("pacing: FAST needs sources that end");
    assertThat(problem(valid().setSources(List.of(source("1", "lavfi:testsrc2,trim=duration=3[out0]"))))).isEmpty();
  }

  @Test
  void filesOnlyWhenTheOperatorAllowsThem() {
    JobSpecValidator noFiles = new JobSpecValidator(new SourcePolicy(false, AddressPolicy.of(false)),
        SpecLimits.DEFAULTS);
    assertThat(noFiles.problem(valid().build())).get().asString()
        .isEqualTo("sources[1].url: file sources are disabled (gateway.sources.files)");
    assertThat(noFiles.problem(valid().setSources(List.of(source("1", "file:///etc/passwd"))).build())).isPresent();
  }

  @Test
  void callersCannotNameInternalAddresses() {
    JobSpec.Builder live = valid().setPacing(Pacing.REALTIME);
    for (String url : List.of("rtmp://127.0.0.1/live/a", "rtsp://[::1]:554/a", "http://169.254.169.254/latest/x.m3u8",
        "srt://10.1.2.3:9000", "rtmp://localhost/live", "https://0177.0.0.1/a.m3u8", "rtmp://2130706433/live",
        "http://[::ffff:127.0.0.1]/a.m3u8", "rtmp://100.64.0.1/live")) {
      assertThat(problem(live.setSources(List.of(source("1", url))))).as(url).get().asString()
          .startsWith("sources[0].url: ");
    }
    JobSpecValidator open = new JobSpecValidator(new SourcePolicy(true, AddressPolicy.of(true)), SpecLimits.DEFAULTS);
    assertThat(open.problem(live.setSources(List.of(source("1", "rtmp://127.0.0.1/live/a"))).build())).isEmpty();
  }

  @Test
  void namesThatBecomeFileNamesMustBeStorable() {
    assertThat(problem(valid().setSources(List.of(colour("a\\b", "red", 300, 3)))))
        .get().asString().startsWith("sources[0].uid: only letters, digits");
    assertThat(problem(valid().setSources(List.of(colour("a/b", "red", 300, 3))))).isPresent();
    assertThat(problem(valid().setSources(List.of(colour("..", "red", 300, 3))))).isPresent();
    assertThat(problem(valid().setChannel(" "))).hasValue("channel: must not be empty");
    assertThat(problem(valid().setChannel("room\n1"))).get().asString().startsWith("channel: ");
    assertThat(problem(valid().setStorage(StorageConfig.newBuilder().setVendor(99).setBucket("b")
        .setFileNamePrefix(List.of("ok", "../up")).build()))).get().asString()
        .startsWith("storage.fileNamePrefix[1]: ");
    assertThat(problem(valid().setSources(List.of(colour("Alice (host)", "red", 300, 3))))).isEmpty();
  }

  @Test
  void sourcesPerRecordingAreLimited() {
    List<Source> many = new java.util.ArrayList<>();
    for (int i = 0; i < 18; i++) {
      many.add(colour("u" + i, "red", 300, 3));
    }
    assertThat(problem(valid().setSources(many))).get().asString()
        .startsWith("sources: at most 17 sources in composite mode, got 18");
    assertThat(problem(valid().setMode(RecordingMode.INDIVIDUAL).setSources(many))).isEmpty();
  }
}
