package io.capstan.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.capstan.webrtc.testing.WhepTestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WhepClient against a real (tiny) WHEP server sending a test pattern. */
class WhepClientTest {

  static final TestPattern PATTERN = new TestPattern(320, 180, 15, 41, 240, 110, 1000);
  static final Duration HTTP = Duration.ofSeconds(10);

  private WhepTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = new WhepTestServer(PATTERN, "s3cret").start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void mediaArrivesAndCloseDeletesTheResource() throws Exception {
    Collector c = new Collector();
    WhepSession session = WhepClient.open(server.endpoint(), "s3cret", RtcSettings.defaults(), ReceiveOptions.BOTH, c, c, HTTP);
    try {
      // libwebrtc's audio device plays silence until the first packets: the last second measured is all tone once
      // two seconds have come.
      await().atMost(Duration.ofSeconds(20)).until(() -> c.pictures.get() >= 10 && c.chunks.get() >= 200);
      assertThat(session.isConnected()).isTrue();
      assertThat(c.last().getWidth()).isEqualTo(320);
      assertThat(c.centre()[0]).isBetween(31, 51);
      assertThat(c.frequency()).isBetween(950.0, 1050.0);
      assertThat(server.sessions()).isEqualTo(1);
    } finally {
      session.close();
    }
    assertThat(server.deleted()).containsExactly(session.location().getPath());
    assertThat(server.sessions()).isZero();
    assertThat(c.failures).isEmpty();
  }

  @Test
  void aWrongTokenIsAPermanentFailure() {
    Collector c = new Collector();
    assertThatThrownBy(() -> WhepClient.open(server.endpoint(), "wrong", RtcSettings.defaults(), ReceiveOptions.BOTH, c, c, HTTP))
        .isInstanceOf(RtcException.class)
        .hasMessageContaining("answered 401")
        .hasMessageNotContaining("wrong")
        .matches(e -> ((RtcException) e).permanent());
  }

  @Test
  void theListenerHearsWhenTheServerGoesAndTheServerComesBackOnItsPort() throws Exception {
    Collector c = new Collector();
    try (WhepSession session = WhepClient.open(server.endpoint(), "s3cret", RtcSettings.defaults(), ReceiveOptions.BOTH, c, c, HTTP)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> c.connects.get() == 1);
      server.stop();
      await().atMost(Duration.ofSeconds(45)).until(() -> !c.failures.isEmpty());
      assertThat(session.isConnected()).isFalse();
    }
    server.start();
    Collector again = new Collector();
    try (WhepSession session = WhepClient.open(server.endpoint(), "s3cret", RtcSettings.defaults(), new ReceiveOptions(false, true), again, again, HTTP)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> again.pictures.get() >= 5);
      assertThat(again.chunks.get()).isZero();
    }
  }
}
