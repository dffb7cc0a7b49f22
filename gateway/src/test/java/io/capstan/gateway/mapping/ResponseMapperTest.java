package io.capstan.gateway.mapping;

import static io.capstan.gateway.mapping.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.schemas.FileEntry;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.RecordingMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseMapperTest {

  static {
    io.capstan.schemas.serde.AvroTrust.install();
  }

  private static final String SID = "38f8e3cfdc474cd56fc1ceba380d7e1a";
  private static final Caller CALLER = new Caller("httpClient463224", "527841");

  private static JobStatus status(RecordingMode mode, int status, String uploading, List<FileEntry> files) {
    return JobStatus.newBuilder().setJobId(SID).setChannel("httpClient463224").setRecorderUid("527841")
        .setResourceId("rid").setMode(mode).setStatus(status).setFileList(files).setUploadingStatus(uploading)
        .setSliceStartTime(1_700_000_000_000L).setUpdatedUtcMs(1_700_000_010_000L).build();
  }

  private static FileEntry file(String name, String uid, boolean mixed) {
    return FileEntry.newBuilder().setFileName(name).setTrackType("audio_and_video").setUid(uid)
        .setMixedAllUser(mixed).setIsPlayable(true).setSliceStartTime(1_700_000_000_000L).build();
  }

  private static JobSpec spec(String mode, String body) {
    return spec(mode, parse(body));
  }

  private static JobSpec spec(String mode, com.fasterxml.jackson.databind.JsonNode body) {
    return new StartRequestMapper(StartRequestMapper.Options.DEFAULTS)
        .map(body, mode, new StartContext("app", "rid", mode.equals("web") ? 1 : 0, SID)).spec();
  }

  /** The documented web start without its CDN push. */
  private static com.fasterxml.jackson.databind.JsonNode webOnly() {
    var body = parse(Bodies.WEB_START);
    ((com.fasterxml.jackson.databind.node.ArrayNode) body.at("/clientRequest/extensionServiceConfig/extensionServices"))
        .remove(1);
    return body;
  }

  @Test
  void compositeHlsOnlyListsThePlaylistAsAString() {
    JobSpec spec = spec("mix", """
        {"cname": "httpClient463224", "uid": "527841", "clientRequest": {"recordingConfig": {}}}""");
    JobStatus status = status(RecordingMode.COMPOSITE, 5, "unknown",
        List.of(file(SID + "_httpClient463224.m3u8", "0", true)));
    assertThat(ResponseMapper.query(CALLER, "rid", SID, status, spec)).isEqualTo(parse("""
        {"cname": "httpClient463224", "uid": "527841", "resourceId": "rid", "sid": "%s",
         "serverResponse": {"status": 5, "fileListMode": "string",
         "fileList": "%s_httpClient463224.m3u8", "sliceStartTime": 1700000000000}}""".formatted(SID, SID)));
  }

  @Test
  void mp4OrIndividualFilesAreListedAsJson() {
    JobSpec spec = spec("mix", Bodies.MIX_START);
    JobStatus status = status(RecordingMode.COMPOSITE, 8, "uploaded", List.of(
        file(SID + "_httpClient463224.m3u8", "0", true), file(SID + "_httpClient463224_20261124085301000_0.mp4", "0", true)));
    assertThat(ResponseMapper.stop(new Caller("httpClient463224", "527841"), "rid", SID, status, spec)).isEqualTo(parse("""
        {"cname": "httpClient463224", "uid": "527841", "resourceId": "rid", "sid": "%1$s",
         "serverResponse": {"fileListMode": "json", "fileList": [
           {"fileName": "%1$s_httpClient463224.m3u8", "trackType": "audio_and_video", "uid": "0",
            "mixedAllUser": true, "isPlayable": true, "sliceStartTime": 1700000000000},
           {"fileName": "%1$s_httpClient463224_20261124085301000_0.mp4", "trackType": "audio_and_video", "uid": "0",
            "mixedAllUser": true, "isPlayable": true, "sliceStartTime": 1700000000000}],
          "uploadingStatus": "uploaded"}}""".formatted(SID)));
    JobStatus individual = status(RecordingMode.INDIVIDUAL, 5, "unknown",
        List.of(file(SID + "_c__uid_s_1__uid_e_av.m3u8", "1", false)));
    assertThat(ResponseMapper.query(CALLER, "rid", SID, individual, null).at("/serverResponse/fileListMode").asText())
        .isEqualTo("json");
  }

  @Test
  void beforeAnyStatusTheJobIsInitialisedWithNoFiles() {
    var answer = ResponseMapper.query(new Caller("c", "1"), "rid", SID, null, spec("mix", """
        {"cname": "c", "uid": "1", "clientRequest": {"recordingConfig": {}}}"""));
    assertThat(answer.at("/serverResponse/status").asInt()).isEqualTo(1);
    assertThat(answer.at("/serverResponse/fileList").asText()).isEmpty();
    assertThat(answer.at("/serverResponse/sliceStartTime").asLong()).isZero();
    assertThat(ResponseMapper.hasMedia(null)).isFalse();
  }

  @Test
  void duringTheFirstSliceSliceStartTimeIsTheRecordingsStart() {
    JobSpec spec = JobSpec.newBuilder(spec("mix", Bodies.MIX_START)).setStartedUtcMs(1_700_000_000_500L).build();
    JobStatus recording = JobStatus.newBuilder(status(RecordingMode.COMPOSITE, 5, "unknown", List.of()))
        .setSliceStartTime(0).build();
    assertThat(ResponseMapper.query(CALLER, "rid", SID, recording, spec).at("/serverResponse/sliceStartTime").asLong())
        .isEqualTo(1_700_000_000_500L);
  }

  @Test
  void webModeAnswersTheDocumentedWebShapeOnly() {
    JobSpec spec = spec("web", webOnly());
    JobStatus status = status(RecordingMode.WEB, 5, "unknown", List.of(file(SID + "_c.m3u8", "", true)));
    // Exactly the documented fields: the official Java client refuses any property its web type lacks.
    assertThat(ResponseMapper.query(CALLER, "rid", SID, status, spec)).isEqualTo(parse("""
        {"cname": "httpClient463224", "uid": "527841", "resourceId": "rid", "sid": "%1$s",
         "serverResponse": {"status": 5, "extensionServiceState": [
           {"serviceName": "web_recorder_service",
            "payload": {"fileList": [{"filename": "%1$s_c.m3u8", "sliceStartTime": 1700000000000}],
                        "onhold": false, "state": "inProgress"}}]}}""".formatted(SID)));
  }

  @Test
  void webModePushingToACdnAddsTheRtmpPublishService() {
    JobSpec spec = spec("web", Bodies.WEB_START);
    JobStatus status = status(RecordingMode.WEB, 4, "unknown", List.of());
    assertThat(ResponseMapper.query(CALLER, "rid", SID, status, spec).get("serverResponse")).isEqualTo(parse("""
        {"status": 4, "extensionServiceState": [
           {"serviceName": "web_recorder_service", "payload": {"fileList": [], "onhold": false, "state": "init"}},
           {"serviceName": "rtmp_publish_service",
            "payload": {"outputs": [{"rtmpUrl": "rtmp://live.example.com/app/key", "status": "connecting"}],
                        "state": "init"}}]}"""));
  }

  @Test
  void aSnapshotOnlyRecordingAnswersTheScreenshotShape() {
    JobSpec spec = spec("individual", """
        {"cname": "httpClient463224", "uid": "527841", "clientRequest": {
          "recordingConfig": {"channelType": 0, "streamTypes": 2, "videoStreamType": 0, "maxIdleTime": 30},
          "snapshotConfig": {"captureInterval": 5, "fileType": ["jpg"]},
          "storageConfig": {"vendor": 2, "region": 3, "bucket": "xxxxx", "accessKey": "xxxxx", "secretKey": "xxxxx",
                            "fileNamePrefix": ["directory1", "directory2"]}}}""");
    assertThat(spec.getFiles().getAvFileType()).as("no audio/video files, only snapshots").isEmpty();
    JobStatus status = status(RecordingMode.INDIVIDUAL, 5, "unknown", List.of());
    assertThat(ResponseMapper.query(CALLER, "rid", SID, status, spec).get("serverResponse")).isEqualTo(parse("""
        {"status": 5, "sliceStartTime": 1700000000000}"""));
  }
}
