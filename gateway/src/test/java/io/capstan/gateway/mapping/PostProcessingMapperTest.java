package io.capstan.gateway.mapping;

import static io.capstan.gateway.mapping.Bodies.MIX_START;
import static io.capstan.gateway.mapping.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.PostProcessingKind;
import io.capstan.schemas.PostProcessingRequest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** appsCollection + transcodeOptions (postponed transcoding, audio mix) and sourceRecording (re-composition). */
class PostProcessingMapperTest {

  private static final String SID = "38f8e3cfdc474cd56fc1ceba380d7e1a";
  private final StartRequestMapper mapper = new StartRequestMapper(StartRequestMapper.Options.DEFAULTS);

  /** An individual start; {@code recording} is the recordingConfig, {@code extra} more clientRequest fields. */
  static String individual(String recording, String extra) {
    return """
        {"cname": "room1", "uid": "527841", "clientRequest": {
          "recordingConfig": %s,
          "storageConfig": {"vendor": 1, "region": 0, "bucket": "b", "accessKey": "k", "secretKey": "s"}%s
        }}""".formatted(recording, extra.isEmpty() ? "" : ", " + extra);
  }

  static final String AV = "{\"streamTypes\": 2, \"streamMode\": \"default\"}";
  static final String AUDIO = "{\"streamTypes\": 0, \"streamMode\": \"original\"}";
  static final String POSTPONE = "\"appsCollection\": {\"combinationPolicy\": \"postpone_transcoding\"}";

  private JobSpec individualSpec(String body, int scene) {
    return mapper.map(parse(body), "individual", new StartContext("app1", "rid", scene, SID)).spec();
  }

  @Test
  void postponedTranscodingAsTheReferenceWritesIt() {
    JobSpec spec = individualSpec(individual(AV, POSTPONE + """
        , "transcodeOptions": {"transConfig": {"transMode": "postponeTranscoding"}, "container": {"format": "mp4"}}"""),
        2);
    assertThat(spec.getAfterRecording()).isEqualTo(PostProcessingRequest.newBuilder()
        .setTransMode("postponeTranscoding").setFormat("mp4").build());
  }

  @Test
  void audioMixWithItsAudioSettings() {
    JobSpec spec = individualSpec(individual(AUDIO, POSTPONE + """
        , "transcodeOptions": {"transConfig": {"transMode": "audioMix"}, "container": {"format": "m4a"},
           "audio": {"sampleRate": "32000", "bitrate": "64000", "channels": "1"}}"""), 2);
    PostProcessingRequest r = spec.getAfterRecording();
    assertThat(r.getTransMode()).isEqualTo("audioMix");
    assertThat(r.getFormat()).isEqualTo("m4a");
    assertThat(r.getSampleRate()).isEqualTo(32_000);
    assertThat(r.getBitrate()).isEqualTo(64_000);
    assertThat(r.getChannels()).isEqualTo(1);
  }

  @Test
  void audioMixDefaultsToMp3() {
    JobSpec spec = individualSpec(individual(AUDIO, POSTPONE
        + ", \"transcodeOptions\": {\"transConfig\": {\"transMode\": \"audioMix\"}}"), 2);
    assertThat(spec.getAfterRecording().getFormat()).isEqualTo("mp3");
    assertThat(spec.getAfterRecording().getChannels()).isEqualTo(2);
  }

  @Test
  void withoutAppsCollectionNothingFollows() {
    assertThat(individualSpec(individual(AV, ""), 0).getAfterRecording()).isNull();
  }

  static Stream<Arguments> refusals() {
    String transcode = ", \"transcodeOptions\": {\"transConfig\": {\"transMode\": \"postponeTranscoding\"}}";
    String mix = ", \"transcodeOptions\": {\"transConfig\": {\"transMode\": \"audioMix\"}}";
    return Stream.of(
        arguments(individual(AV, POSTPONE + transcode), 0,
            "resourceId: postpone_transcoding needs a resourceId acquired with clientRequest.scene 2"),
        arguments(individual(AV, ""), 2,
            "clientRequest.appsCollection: a resourceId acquired with clientRequest.scene 2 needs combinationPolicy"),
        arguments(individual(AV, POSTPONE), 2, "clientRequest.transcodeOptions: missing"),
        arguments(individual(AV, transcode.substring(2)), 0,
            "clientRequest.transcodeOptions: needs appsCollection.combinationPolicy postpone_transcoding"),
        arguments(individual(AV, "\"appsCollection\": {\"combinationPolicy\": \"later\"}"), 2,
            "clientRequest.appsCollection.combinationPolicy: must be default or postpone_transcoding"),
        arguments(individual(AV, POSTPONE + ", \"transcodeOptions\": {\"transConfig\": {\"transMode\": \"x\"}}"), 2,
            "clientRequest.transcodeOptions.transConfig.transMode: must be postponeTranscoding or audioMix"),
        arguments(individual(AV, POSTPONE + ", \"transcodeOptions\": {\"transConfig\": {}}"), 2,
            "clientRequest.transcodeOptions.transConfig.transMode: missing"),
        arguments(individual(AUDIO, POSTPONE + transcode), 2,
            "recordingConfig.streamTypes: postponeTranscoding needs 2"),
        arguments(individual("{\"streamTypes\": 2, \"streamMode\": \"standard\"}", POSTPONE + transcode), 2,
            "recordingConfig.streamMode: postponeTranscoding needs default"),
        arguments(individual(AV, POSTPONE + ", \"transcodeOptions\": {\"transConfig\": {\"transMode\": "
            + "\"postponeTranscoding\"}, \"container\": {\"format\": \"mp3\"}}"), 2,
            "clientRequest.transcodeOptions.container.format: postponeTranscoding makes mp4 only"),
        arguments(individual(AV, POSTPONE + mix), 2, "recordingConfig.streamTypes: audioMix needs 0"),
        arguments(individual("{\"streamTypes\": 0, \"streamMode\": \"default\"}", POSTPONE + mix), 2,
            "recordingConfig.streamMode: audioMix needs original"),
        arguments(individual(AUDIO, POSTPONE + ", \"transcodeOptions\": {\"transConfig\": {\"transMode\": "
            + "\"audioMix\"}, \"container\": {\"format\": \"wav\"}}"), 2,
            "clientRequest.transcodeOptions.container.format: must be mp3, m4a or aac"),
        arguments(individual(AUDIO, POSTPONE + ", \"transcodeOptions\": {\"transConfig\": {\"transMode\": "
            + "\"audioMix\"}, \"audio\": {\"sampleRate\": \"44100\"}}"), 2,
            "clientRequest.transcodeOptions.audio.sampleRate: must be \"48000\", \"32000\" or \"16000\""),
        arguments(individual(AUDIO, POSTPONE + ", \"transcodeOptions\": {\"transConfig\": {\"transMode\": "
            + "\"audioMix\"}, \"audio\": {\"channels\": \"3\"}}"), 2,
            "clientRequest.transcodeOptions.audio.channels: must be \"1\" or \"2\""),
        arguments(individual(AUDIO, POSTPONE + ", \"transcodeOptions\": {\"transConfig\": {\"transMode\": "
            + "\"audioMix\"}, \"audio\": {\"bitrate\": \"fast\"}}"), 2,
            "clientRequest.transcodeOptions.audio.bitrate: must be a number"));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void refusedWithTheFieldNamed(String body, int scene, String message) {
    assertThatThrownBy(() -> individualSpec(body, scene)).isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void postponedTranscodingIsForIndividualModeOnly() {
    JsonNode body = parse(MIX_START);
    ((ObjectNode) body.get("clientRequest")).set("appsCollection", parse("{\"combinationPolicy\": \"postpone_transcoding\"}"));
    assertThatThrownBy(() -> mapper.map(body, "mix", new StartContext("app1", "rid", 0, SID)))
        .hasMessageStartingWith("clientRequest.appsCollection: postpone_transcoding is for individual mode only");
  }

  @Test
  void sourceRecordingMakesARecomposition() {
    JsonNode body = parse(MIX_START);
    ((ObjectNode) body.get("clientRequest")).set("sourceRecording", parse("""
        {"sid": "0123456789abcdef0123456789abcdef",
         "storageConfig": {"vendor": 99, "bucket": "old"}}"""));
    JobSpec spec = mapper.map(body, "mix", new StartContext("app1", "rid", 0, SID)).spec();
    assertThat(spec.getPostProcessing().getKind()).isEqualTo(PostProcessingKind.RECOMPOSE);
    assertThat(spec.getPostProcessing().getSourceJobId()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(spec.getPostProcessing().getSourceStorage().getBucket()).isEqualTo("old");
    assertThat(spec.getPacing()).isEqualTo(Pacing.FAST);
    assertThat(spec.getStorage().getBucket()).isEqualTo("xxxxx"); // the new files go to the start's storage
    assertThat(spec.getTranscoding().getLayout().getMixedVideoLayout()).isEqualTo(1);
  }

  @Test
  void sourceRecordingWithoutStorageReadsTheOutputStorage() {
    JsonNode body = parse(MIX_START);
    ((ObjectNode) body.get("clientRequest")).set("sourceRecording",
        parse("{\"sid\": \"0123456789abcdef0123456789abcdef\"}"));
    JobSpec spec = mapper.map(body, "mix", new StartContext("app1", "rid", 0, SID)).spec();
    assertThat(spec.getPostProcessing().getSourceStorage()).isEqualTo(spec.getStorage());
  }

  @Test
  void sourceRecordingRefusals() {
    JsonNode badSid = parse(MIX_START);
    ((ObjectNode) badSid.get("clientRequest")).set("sourceRecording", parse("{\"sid\": \"abc\"}"));
    assertThatThrownBy(() -> mapper.map(badSid, "mix", new StartContext("app1", "rid", 0, SID)))
        .hasMessageStartingWith("clientRequest.sourceRecording.sid: must be the sid of a recording");
    JsonNode withSources = parse(MIX_START);
    ((ObjectNode) withSources.get("clientRequest")).set("sourceRecording",
        parse("{\"sid\": \"0123456789abcdef0123456789abcdef\"}"));
    ((ObjectNode) withSources.get("clientRequest")).set("pacing", parse("\"fast\""));
    assertThatThrownBy(() -> mapper.map(withSources, "mix", new StartContext("app1", "rid", 0, SID)))
        .hasMessageStartingWith("clientRequest.pacing: not used with sourceRecording");
    assertThatThrownBy(() -> individualSpec(individual(AV,
        "\"sourceRecording\": {\"sid\": \"0123456789abcdef0123456789abcdef\"}"), 0))
        .hasMessageStartingWith("clientRequest.sourceRecording: only in mix mode");
  }
}
