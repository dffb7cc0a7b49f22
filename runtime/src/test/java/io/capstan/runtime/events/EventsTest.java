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
}
