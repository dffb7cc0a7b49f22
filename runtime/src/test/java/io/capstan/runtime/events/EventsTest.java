package io.capstan.runtime.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Error and warning events are free text that often quotes a URL: they never carry its credentials. */
class EventsTest {

  @Test
  void errorAndWarningMessagesLoseTheStreamKeyAndTheSignature() {
    String ffmpeg = "uid 7: cannot read rtmp://ingest.example/live/sk_live_9f8e7d: avformat_open_input() error -5:"
        + " Could not open input \"https://b.s3.amazonaws.com/x.ts?X-Amz-Credential=AKIAEXAMPLE%2F20260101"
        + "&X-Amz-Signature=0123abcd\"";

    String error = Events.error("ingest", 1, ffmpeg).getErrorMsg();
    String warning = Events.warning("ingest", 1, ffmpeg).getMessage();

    for (String message : new String[] {error, warning}) {
      assertThat(message).doesNotContain("sk_live_9f8e7d").doesNotContain("0123abcd").doesNotContain("AKIAEXAMPLE")
          .contains("rtmp://ingest.example/live/****").contains("X-Amz-Signature=****")
          .contains("avformat_open_input() error -5");
    }
  }

  @Test
  void aOnceEventHasTheSameIdWhoeverSendsIt() {
    io.capstan.schemas.JobSpec spec = io.capstan.schemas.JobSpec.newBuilder().setJobId("sid1").setChannel("room")
        .setMode(io.capstan.schemas.RecordingMode.COMPOSITE)
        .setSubscriptions(io.capstan.schemas.Subscriptions.newBuilder().build())
        .setDecryption(io.capstan.schemas.Decryption.newBuilder().build())
        .setFiles(io.capstan.schemas.FileConfig.newBuilder().build()).setStartedUtcMs(1).build();
    var started = io.capstan.schemas.UploaderStarted.newBuilder().setStatus(0).build();
    assertThat(Events.once(spec, "uploader_started", started).getEventId())
        .isEqualTo(Events.once(spec, "uploader_started", started).getEventId())
        .isNotEqualTo(Events.once(spec, "uploaded", started).getEventId());
    assertThat(Events.of(spec, started).getEventId()).isNotEqualTo(Events.of(spec, started).getEventId());
  }
}
