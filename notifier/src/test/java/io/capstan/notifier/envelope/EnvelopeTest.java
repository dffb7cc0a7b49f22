package io.capstan.notifier.envelope;

import static io.capstan.notifier.support.JobEvents.T0;
import static io.capstan.notifier.support.JobEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.notifier.support.JobEvents;
import io.capstan.schemas.AudioStreamStateChanged;
import io.capstan.schemas.Notice;
import io.capstan.schemas.RecorderLeave;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.SliceStart;
import io.capstan.schemas.Uploaded;
import io.capstan.schemas.VideoStreamStateChanged;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode envelope(RecordingEvent event, long sequence) throws Exception {
    Notice notice = Notice.newBuilder().setNoticeId(event.getEventId()).setSequence(sequence).setEvent(event).build();
    return JSON.readTree(Envelope.body(notice, T0 + 99_999));
  }

  @Test
  void carriesTheHostedProductsEnvelope() throws Exception {
    RecordingEvent event = event("sid1", T0 + 5, new RecorderLeave(16));
    JsonNode body = envelope(event, 6);

    assertThat(body.get("noticeId").asText()).isEqualTo(event.getEventId());
    assertThat(body.get("productId").asInt()).isEqualTo(3);
    assertThat(body.get("eventType").asInt()).isEqualTo(41);
    assertThat(body.get("notifyMs").asLong()).isEqualTo(T0 + 99_999);
    assertThat(body.get("sid").asText()).isEqualTo("sid1");
    JsonNode payload = body.get("payload");
    assertThat(payload.get("cname").asText()).isEqualTo("room-sid1");
    assertThat(payload.get("uid").isTextual()).isTrue();
    assertThat(payload.get("uid").asText()).isEqualTo("527841");
    assertThat(payload.get("sid").asText()).isEqualTo("sid1");
    assertThat(payload.get("sequence").asLong()).isEqualTo(6);
    assertThat(payload.get("sendts").asLong()).isEqualTo(T0 + 5);
    assertThat(payload.get("serviceType").asInt()).isEqualTo(1);
    assertThat(payload.get("details").get("msgName").asText()).isEqualTo("recorder_leave");
    assertThat(payload.get("details").get("leaveCode").asInt()).isEqualTo(16);
  }

  @Test
  void fieldsComeInTheReferenceOrder() throws Exception {
    JsonNode body = envelope(event("sid1", T0, new SessionExit(0)), 0);
    assertThat(iterable(body)).containsExactly("noticeId", "productId", "eventType", "notifyMs", "sid", "payload");
    assertThat(iterable(body.get("payload")))
        .containsExactly("cname", "uid", "sid", "sequence", "sendts", "serviceType", "details");
  }

  @Test
  void streamStateDetailsUseStreamUidStateAndUtcMs() throws Exception {
    JsonNode audio = envelope(event("s", T0, new AudioStreamStateChanged("42", 1, T0 + 3)), 1);
    assertThat(audio.get("eventType").asInt()).isEqualTo(43);
    assertThat(audio.at("/payload/serviceType").asInt()).isEqualTo(1);
    assertThat(audio.at("/payload/details").toString()).isEqualTo(
        "{\"msgName\":\"recorder_audio_stream_state_changed\",\"streamUid\":\"42\",\"state\":1,\"UtcMs\":"
            + (T0 + 3) + "}");
    JsonNode video = envelope(event("s", T0, new VideoStreamStateChanged("42", 0, T0 + 4)), 2);
    assertThat(video.get("eventType").asInt()).isEqualTo(44);
    assertThat(video.at("/payload/details/msgName").asText()).isEqualTo("recorder_video_stream_state_changed");
    assertThat(video.at("/payload/details/UtcMs").asLong()).isEqualTo(T0 + 4);
  }

  @Test
  void sliceStartCarriesStartDiscontinueAndMixedAllUser() throws Exception {
    JsonNode body = envelope(event("s", T0,
        SliceStart.newBuilder().setStartUtcMs(T0 + 40).setDiscontinueUtcMs(0).setMixedAllUser(true)
            .setTrackType("audio_and_video").build()), 3);
    assertThat(body.get("eventType").asInt()).isEqualTo(42);
    assertThat(body.at("/payload/details").toString()).isEqualTo("{\"msgName\":\"recorder_slice_start\",\"startUtcMs\":"
        + (T0 + 40) + ",\"discontinueUtcMs\":0,\"mixedAllUser\":true,\"streamUid\":\"0\",\"trackType\":\"audio_and_video\"}");
  }

  @Test
  void uploadedCarriesStatusAndTheFileList() throws Exception {
    JsonNode body = envelope(event("sid9", T0, new Uploaded(0, List.of(JobEvents.playlist("sid9")))), 5);
    assertThat(body.get("eventType").asInt()).isEqualTo(31);
    assertThat(body.at("/payload/serviceType").asInt()).isEqualTo(2);
    JsonNode details = body.at("/payload/details");
    assertThat(details.get("msgName").asText()).isEqualTo("uploaded");
    assertThat(details.get("status").asInt()).isEqualTo(0);
    JsonNode file = details.get("fileList").get(0);
    assertThat(iterable(file))
        .containsExactly("fileName", "trackType", "uid", "mixedAllUser", "isPlayable", "sliceStartTime");
    assertThat(file.get("fileName").asText()).isEqualTo("sid9_room-sid9.m3u8");
    assertThat(file.get("mixedAllUser").asBoolean()).isTrue();
    assertThat(file.get("sliceStartTime").asLong()).isEqualTo(T0 + 40);
  }

  @Test
  void errorAndExitDetails() throws Exception {
    JsonNode error = envelope(event("s", T0, RecordingError.newBuilder().setModule("uploader").setErrorLevel(2)
        .setErrorCode(47).setErrorMsg("bucket not found").build()), 0);
    assertThat(error.get("eventType").asInt()).isEqualTo(1);
    assertThat(error.at("/payload/serviceType").asInt()).isEqualTo(0);
    assertThat(error.at("/payload/details").toString()).isEqualTo("{\"msgName\":\"cloud_recording_error\","
        + "\"module\":1,\"errorLevel\":2,\"errorCode\":47,\"stat\":0,\"errorMsg\":\"bucket not found\"}");
    JsonNode exit = envelope(event("s", T0, new SessionExit(3)), 1);
    assertThat(exit.get("eventType").asInt()).isEqualTo(11);
    assertThat(exit.at("/payload/details").toString())
        .isEqualTo("{\"msgName\":\"session_exit\",\"exitStatus\":1,\"exitReason\":3}");
  }

  private static List<String> iterable(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
