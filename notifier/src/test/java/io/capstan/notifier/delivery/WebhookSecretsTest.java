package io.capstan.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.notifier.support.JobEvents;
import io.capstan.schemas.Notice;
import io.capstan.schemas.RecorderStarted;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A webhook URL's token reaches neither the log lines nor the dead letters of a failed delivery. */
class WebhookSecretsTest {

  @Test
  void anErrorPageQuotingTheTokenIsRedacted() throws Exception {
    try (Receiver receiver = Receiver.start(n -> new Receiver.Answer(404, "Cannot POST /hook?token=s3cr3t-t0ken"))) {
      Subscriber subscriber = new Subscriber(receiver.url() + "?token=s3cr3t-t0ken&tenant=7", "hmac", null);
      Notice notice = Notice.newBuilder().setNoticeId("n-1").setSequence(0)
          .setEvent(JobEvents.event("job-secret", JobEvents.T0, RecorderStarted.newBuilder().build())).build();

      Attempt attempt = new WebhookClient(Duration.ofSeconds(10), new DestinationPolicy(true), Clock.systemUTC())
          .send(subscriber, notice);

      assertThat(attempt.outcome()).isEqualTo(Attempt.Outcome.REJECTED);
      assertThat(attempt.reason()).startsWith("HTTP 404").contains("token=****").doesNotContain("s3cr3t");
      assertThat(subscriber.toString()).contains("?token=****&tenant=7").doesNotContain("s3cr3t")
          .doesNotContain("hmac");
    }
  }
}
