package io.capstan.notifier.envelope;

import static io.capstan.notifier.support.JobEvents.T0;
import static io.capstan.notifier.support.JobEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.capstan.runtime.events.ErrorLevel;
import io.capstan.runtime.events.EventModule;
import io.capstan.runtime.events.Events;
import io.capstan.runtime.events.ExitStatus;
import io.capstan.schemas.AudioStreamStateChanged;
import io.capstan.schemas.Backuped;
import io.capstan.schemas.DownloadFailed;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.FileInfo;
import io.capstan.schemas.Notice;
import io.capstan.schemas.PostponeTranscodeFinalResult;
import io.capstan.schemas.RecorderLeave;
import io.capstan.schemas.RecorderStarted;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RtmpPublishStatus;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.SessionFailover;
import io.capstan.schemas.SliceStart;
import io.capstan.schemas.SnapshotFile;
import io.capstan.schemas.StatusUpdate;
import io.capstan.schemas.TranscodedFile;
import io.capstan.schemas.TranscoderCompleted;
import io.capstan.schemas.TranscoderStarted;
import io.capstan.schemas.UidTranscodeResult;
import io.capstan.schemas.Uploaded;
import io.capstan.schemas.UploaderStarted;
import io.capstan.schemas.UploadingProgress;
import io.capstan.schemas.VideoStreamStateChanged;
import io.capstan.schemas.WebFile;
import io.capstan.schemas.WebRecorderReload;
import io.capstan.schemas.WebRecorderStarted;
import io.capstan.schemas.WebRecorderStopped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each event Capstan sends, against the shape Agora's callback documentation gives it: the
 * eventType, serviceType and msgName, and every field of {@code details} by name and JSON type
 * (number, string, boolean, array, nesting). A handler written against the docs reads these.
 */
class EventPayloadsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeType NUMBER = JsonNodeType.NUMBER;
  private static final JsonNodeType STRING = JsonNodeType.STRING;
  private static final JsonNodeType BOOLEAN = JsonNodeType.BOOLEAN;
  private static final JsonNodeType ARRAY = JsonNodeType.ARRAY;

  /** Agora's fileList entry of events 31 and 32. */
  private static final Map<String, JsonNodeType> FILE_ENTRY = shape("fileName", STRING, "trackType", STRING,
      "uid", STRING, "mixedAllUser", BOOLEAN, "isPlayable", BOOLEAN, "sliceStartTime", NUMBER);

  @Test
  void cloudRecordingError1HasNumericModuleLevelAndStat() throws Exception {
    JsonNode fatal = details(Events.fatal("uploader", 32, "storage: the bucket does not exist"), 1, 0,
        "cloud_recording_error");
    assertShape(fatal, shape("msgName", STRING, "module", NUMBER, "errorLevel", NUMBER, "errorCode", NUMBER,
        "stat", NUMBER, "errorMsg", STRING));
    assertThat(fatal.get("module").asInt()).as("the uploader").isEqualTo(1);
    assertThat(fatal.get("errorLevel").asInt()).as("fatal").isEqualTo(5);
    assertThat(fatal.get("errorCode").asInt()).isEqualTo(32);
    assertThat(fatal.get("stat").asInt()).as("the recording is not well").isNotZero();

    JsonNode major = details(Events.error("segmenter", 1, "a slice could not be written"), 1, 0,
        "cloud_recording_error");
    assertThat(major.get("module").asInt()).as("the recorder").isEqualTo(0);
    assertThat(major.get("errorLevel").asInt()).isEqualTo(ErrorLevel.MAJOR);
    assertThat(major.get("stat").asInt()).as("the recording goes on").isZero();

    JsonNode web = details(Events.fatal(EventModule.WEB, 3, "chromium is missing"), 1, 0, "cloud_recording_error");
    assertThat(web.get("module").asInt()).as("the web page recording service").isEqualTo(6);
  }

  @Test
  void cloudRecordingWarning2HasNumericModuleAndWarnCode() throws Exception {
    JsonNode upload = details(Events.warning("uploader", 31, "sid_room.m3u8: uploaded again"), 2, 0,
        "cloud_recording_warning");
    // message is Capstan's addition (Agora may add fields to details): it says what the code means.
    assertShape(upload, shape("msgName", STRING, "module", NUMBER, "warnCode", NUMBER, "message", STRING));
    assertThat(upload.get("module").asInt()).isEqualTo(1);
    assertThat(upload.get("warnCode").asInt()).isEqualTo(31);
    assertThat(details(Events.warning("mixer", 1, "image not found"), 2, 0, "cloud_recording_warning")
        .get("module").asInt()).as("the recorder").isZero();
  }

  @Test
  void cloudRecordingStatusUpdate3HasStatusRecordingModeAndTheM3u8Name() throws Exception {
    JsonNode d = details(new StatusUpdate(6, 0, "sid_room.m3u8"), 3, 0, "cloud_recording_status_update");
    assertShape(d, shape("msgName", STRING, "status", NUMBER, "recordingMode", NUMBER, "fileList", STRING));
    assertThat(d.get("status").asInt()).isEqualTo(6);
    assertThat(d.get("fileList").asText()).isEqualTo("sid_room.m3u8");
  }

  @Test
  void cloudRecordingFileInfos4NamesTheM3u8AsAString() throws Exception {
    FileEntry audio = entry("sid_room__uid_s_7__uid_e_audio.m3u8", "audio", "7", false);
    FileEntry video = entry("sid_room__uid_s_7__uid_e_video.m3u8", "video", "7", false);
    JsonNode d = details(new FileInfo(List.of(audio, video), video.getFileName()), 4, 0,
        "cloud_recording_file_infos");
    assertShape(d, shape("msgName", STRING, "fileList", STRING));
    assertThat(d.get("fileList").asText()).as("the playlist just stored").isEqualTo(video.getFileName());
  }

  @Test
  void sessionExit11IsZeroOrOneWithCapstansReasonBeside() throws Exception {
    JsonNode normal = details(new SessionExit(ExitStatus.NORMAL), 11, 0, "session_exit");
    assertShape(normal, shape("msgName", STRING, "exitStatus", NUMBER));
    assertThat(normal.get("exitStatus").asInt()).isZero();

    JsonNode failed = details(new SessionExit(ExitStatus.STORAGE_FAILED), 11, 0, "session_exit");
    // Agora documents 1 for an abnormal exit; exitReason (Capstan's addition) says which.
    assertShape(failed, shape("msgName", STRING, "exitStatus", NUMBER, "exitReason", NUMBER));
    assertThat(failed.get("exitStatus").asInt()).isEqualTo(1);
    assertThat(failed.get("exitReason").asInt()).isEqualTo(ExitStatus.STORAGE_FAILED);
  }

  @Test
  void sessionFailover12HasANumericNewUid() throws Exception {
    JsonNode d = details(new SessionFailover("527841"), 12, 0, "session_failover");
    assertShape(d, shape("msgName", STRING, "newUid", NUMBER));
    assertThat(d.get("newUid").asLong()).isEqualTo(527841L);
  }

  @Test
  void uploaderStarted30HasStatus() throws Exception {
    assertShape(details(new UploaderStarted(0), 30, 2, "uploader_started"), shape("msgName", STRING, "status", NUMBER));
  }

  @Test
  void uploaded31HasStatusAndTheFileListEntries() throws Exception {
    FileEntry av = entry("sid_room__uid_s_7__uid_e_av.m3u8", "audio_and_video", "7", false);
    JsonNode d = details(new Uploaded(0, List.of(av)), 31, 2, "uploaded");
    assertShape(d, shape("msgName", STRING, "status", NUMBER, "fileList", ARRAY));
    assertShape(d.get("fileList").get(0), FILE_ENTRY);
    assertThat(d.at("/fileList/0/trackType").asText()).isEqualTo("audio_and_video");
    assertThat(d.at("/fileList/0/uid").asText()).isEqualTo("7");
  }

  @Test
  void backuped32HasStatusAndTheFileListEntries() throws Exception {
    JsonNode d = details(new Backuped(0, List.of(entry("sid_room.m3u8", "audio_and_video", "0", true))), 32, 2,
        "backuped");
    assertShape(d, shape("msgName", STRING, "status", NUMBER, "fileList", ARRAY));
    assertShape(d.get("fileList").get(0), FILE_ENTRY);
    assertThat(d.at("/fileList/0/uid").asText()).as("composite").isEqualTo("0");
  }

  @Test
  void uploadingProgress33HasProgress() throws Exception {
    JsonNode d = details(new UploadingProgress(2500), 33, 2, "uploading_progress");
    assertShape(d, shape("msgName", STRING, "progress", NUMBER));
  }

  @Test
  void recorderStarted40HasStatus() throws Exception {
    assertShape(details(new RecorderStarted(0), 40, 1, "recorder_started"), shape("msgName", STRING, "status", NUMBER));
  }

  @Test
  void recorderLeave41HasLeaveCode() throws Exception {
    assertShape(details(new RecorderLeave(16), 41, 1, "recorder_leave"), shape("msgName", STRING, "leaveCode", NUMBER));
  }

  @Test
  void recorderSliceStart42NamesItsStreamInBothModes() throws Exception {
    Map<String, JsonNodeType> documented = shape("msgName", STRING, "startUtcMs", NUMBER, "discontinueUtcMs", NUMBER,
        "mixedAllUser", BOOLEAN, "streamUid", STRING, "trackType", STRING);
    JsonNode individual = details(SliceStart.newBuilder().setStartUtcMs(T0).setMixedAllUser(false).setStreamUid("7")
        .setTrackType("audio").build(), 42, 1, "recorder_slice_start");
    assertShape(individual, documented);
    assertThat(individual.get("streamUid").asText()).isEqualTo("7");
    assertThat(individual.get("trackType").asText()).isEqualTo("audio");

    JsonNode composite = details(SliceStart.newBuilder().setStartUtcMs(T0).setMixedAllUser(true)
        .setTrackType("audio_and_video").build(), 42, 1, "recorder_slice_start");
    assertShape(composite, documented);
    assertThat(composite.get("streamUid").asText()).as("the docs' composite stream").isEqualTo("0");
  }

  @Test
  void recorderStreamStateChanged43And44() throws Exception {
    Map<String, JsonNodeType> documented = shape("msgName", STRING, "streamUid", STRING, "state", NUMBER,
        "UtcMs", NUMBER);
    assertShape(details(new AudioStreamStateChanged("7", 1, T0), 43, 1, "recorder_audio_stream_state_changed"),
        documented);
    assertShape(details(new VideoStreamStateChanged("7", 0, T0), 44, 1, "recorder_video_stream_state_changed"),
        documented);
  }

  @Test
  void recorderSnapshotFile45HasFileName() throws Exception {
    JsonNode d = details(new SnapshotFile("shots/sid_room__uid_s_7__uid_e_video_20261206000000000.jpg"), 45, 1,
        "recorder_snapshot_file");
    assertShape(d, shape("msgName", STRING, "fileName", STRING));
  }

  @Test
  void webRecorderStarted70HasRecorderStartTime() throws Exception {
    assertShape(details(new WebRecorderStarted(T0), 70, 6, "web_recorder_started"),
        shape("msgName", STRING, "recorderStartTime", NUMBER));
  }

  @Test
  void webRecorderStopped71HasCodeMessageDetailsAndFiles() throws Exception {
    JsonNode d = details(new WebRecorderStopped(1, "max_recording_hour", "max recording hour is 4",
        List.of(new WebFile("sid_room.m3u8", T0), new WebFile("sid_room_0.mp4", T0))), 71, 6, "web_recorder_stopped");
    assertShape(d, shape("msgName", STRING, "code", NUMBER, "message", STRING, "details", STRING, "fileList", ARRAY));
    assertShape(d.get("fileList").get(1), shape("fileName", STRING, "sliceStartTime", NUMBER));
  }

  @Test
  void webRecorderReload73HasReason() throws Exception {
    assertShape(details(new WebRecorderReload("page_load_timeout"), 73, 6, "web_recorder_reload"),
        shape("msgName", STRING, "reason", STRING));
  }

  @Test
  void transcoderStarted80HasOnlyItsName() throws Exception {
    assertShape(details(new TranscoderStarted(""), 80, 0, "transcoder_started"), shape("msgName", STRING));
  }

  @Test
  void transcoderCompleted81HasResultAndUidsWithTheirFiles() throws Exception {
    JsonNode d = details(new TranscoderCompleted("all_success", List.of(new UidTranscodeResult("7", "success",
        List.of(new TranscodedFile("sid_room__uid_s_7__uid_e_av_20261206000000000.mp4"))))), 81, 0,
        "transcoder_completed");
    assertShape(d, shape("msgName", STRING, "result", STRING, "uids", ARRAY));
    assertShape(d.at("/uids/0"), shape("uid", STRING, "result", STRING, "fileList", ARRAY));
    assertShape(d.at("/uids/0/fileList/0"), shape("fileName", STRING));
  }

  @Test
  void downloadFailed90HasNumericVendorAndRegion() throws Exception {
    JsonNode d = details(new DownloadFailed(1, "3", "bucket", "a.m3u8;a_1.ts"), 90, 8, "download_failed");
    assertShape(d, shape("msgName", STRING, "vendor", NUMBER, "region", NUMBER, "bucket", STRING, "fileName", STRING));
    assertThat(d.get("region").asInt()).isEqualTo(3);
    // Capstan also takes a region by name; it is passed on as given.
    assertThat(details(new DownloadFailed(1, "eu-west-1", "b", "a.m3u8"), 90, 8, "download_failed").get("region")
        .asText()).isEqualTo("eu-west-1");
  }

  @Test
  void rtmpPublishStatus100HasUrlAndStatusWord() throws Exception {
    // The docs type status "Number" but list words ("connecting", …): the words are what is sent.
    assertShape(details(new RtmpPublishStatus("rtmp://live.example.com/app/stream", "publishing"), 100, 6,
        "rtmp_publish_status"), shape("msgName", STRING, "rtmpUrl", STRING, "status", STRING));
  }

  @Test
  void postponeTranscodeFinalResult1001HasResultAndFiles() throws Exception {
    JsonNode d = details(new PostponeTranscodeFinalResult("total_success",
        List.of(new TranscodedFile("sid_room_0.mp3"))), 1001, 0, "postpone_transcode_final_result");
    assertShape(d, shape("msgName", STRING, "result", STRING, "fileList", ARRAY));
    assertShape(d.at("/fileList/0"), shape("fileName", STRING));
  }

  /** The webhook body of {@code details}; asserts its eventType, serviceType and msgName, returns details. */
  private static JsonNode details(Object details, int eventType, int serviceType, String msgName) throws Exception {
    RecordingEvent event = event("sid", T0, details);
    Notice notice = Notice.newBuilder().setNoticeId(event.getEventId()).setSequence(0).setEvent(event).build();
    JsonNode body = JSON.readTree(Envelope.body(notice, T0 + 1));
    assertThat(body.get("eventType").asInt()).as("eventType").isEqualTo(eventType);
    assertThat(body.at("/payload/serviceType").asInt()).as("serviceType").isEqualTo(serviceType);
    JsonNode d = body.at("/payload/details");
    assertThat(d.get("msgName").asText()).as("msgName").isEqualTo(msgName);
    return d;
  }

  private static void assertShape(JsonNode node, Map<String, JsonNodeType> shape) {
    Map<String, JsonNodeType> actual = new LinkedHashMap<>();
    node.fields().forEachRemaining(f -> actual.put(f.getKey(), f.getValue().getNodeType()));
    assertThat(actual).as(node.toString()).containsExactlyInAnyOrderEntriesOf(shape);
  }

  private static Map<String, JsonNodeType> shape(Object... nameThenType) {
    Map<String, JsonNodeType> shape = new LinkedHashMap<>();
    for (int i = 0; i < nameThenType.length; i += 2) {
      shape.put((String) nameThenType[i], (JsonNodeType) nameThenType[i + 1]);
    }
    return shape;
  }

  private static FileEntry entry(String name, String trackType, String uid, boolean mixed) {
    return FileEntry.newBuilder().setFileName(name).setTrackType(trackType).setUid(uid).setMixedAllUser(mixed)
        .setIsPlayable(true).setSliceStartTime(T0).build();
  }
}
