package io.capstan.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The small rules of delivery: backoff, what is retried, who is refused, how subscribers are read. */
class DeliveryRulesTest {

  @Test
  void backoffDoublesFromTheBaseUpToTheCapWithJitter() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
    assertThat(backoff.delay(1, 0.0)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.delay(1, 0.999)).isBetween(Duration.ofMillis(990), Duration.ofSeconds(1));
    assertThat(backoff.delay(3, 0.999)).isBetween(Duration.ofMillis(3990), Duration.ofSeconds(4));
    assertThat(backoff.delay(7, 0.999)).isBetween(Duration.ofMillis(59_000), Duration.ofSeconds(60));
    assertThat(backoff.delay(1000, 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.delay(1000, 0.0)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void serverErrorsTimeoutsAndThrottlingAreRetriedOtherAnswersAreNot() {
    assertThat(Attempt.ofStatus(200, "").outcome()).isEqualTo(Attempt.Outcome.DELIVERED);
    assertThat(Attempt.ofStatus(204, "").outcome()).isEqualTo(Attempt.Outcome.DELIVERED);
    assertThat(Attempt.ofStatus(503, "").outcome()).isEqualTo(Attempt.Outcome.RETRY);
    assertThat(Attempt.ofStatus(408, "").outcome()).isEqualTo(Attempt.Outcome.RETRY);
    assertThat(Attempt.ofStatus(429, "").outcome()).isEqualTo(Attempt.Outcome.RETRY);
    assertThat(Attempt.ofStatus(404, "").outcome()).isEqualTo(Attempt.Outcome.REJECTED);
    assertThat(Attempt.ofStatus(301, "").outcome()).isEqualTo(Attempt.Outcome.REJECTED);
    Attempt bad = Attempt.ofStatus(400, "x".repeat(500));
    assertThat(bad.outcome()).isEqualTo(Attempt.Outcome.REJECTED);
    assertThat(bad.reason()).isEqualTo("HTTP 400: " + "x".repeat(200));
  }

  @Test
  void privateDestinationsAreRefusedUnlessAllowed() throws Exception {
    DestinationPolicy strict = new DestinationPolicy(false);
    for (String url : new String[] {"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/",
        "http://192.168.1.1/", "http://172.16.0.9/", "http://169.254.169.254/latest/meta-data",
        "http://[::1]/", "http://[fd00::1]/", "http://[fe80::1]/", "http://0.0.0.0/"}) {
      assertThat(strict.refusal(URI.create(url))).as(url).contains(DestinationPolicy.PRIVATE_REFUSED);
    }
    assertThat(strict.refusal(URI.create("http://93.184.215.14/hook"))).isEmpty();
    assertThat(strict.refusal(URI.create("ftp://93.184.215.14/x"))).isPresent();
    assertThat(new DestinationPolicy(true).refusal(URI.create("http://127.0.0.1:8080/hook"))).isEmpty();
    assertThat(DestinationPolicy.isPrivate(InetAddress.getByName("8.8.8.8"))).isFalse();
  }

  @Test
  void globalSubscribersPairUrlsWithSecretsByPosition() {
    assertThat(Subscriber.global("http://a/x, http://b/y,http://c/z", "s1,,s3")).containsExactly(
        new Subscriber("http://a/x", "s1", null),
        new Subscriber("http://b/y", null, null),
        new Subscriber("http://c/z", "s3", null));
    assertThat(Subscriber.global("http://a/x", null)).containsExactly(new Subscriber("http://a/x", null, null));
    assertThat(Subscriber.global("", "s")).isEmpty();
  }

  @Test
  void aSubscriberNeverPrintsItsSecret() {
    Subscriber s = new Subscriber("https://user:pw@hooks.example.com/in?token=abc", "very-secret", Set.of(31));
    assertThat(s.toString()).doesNotContain("very-secret", "pw", "abc");
    assertThat(s.key().toString()).doesNotContain("very-secret", "pw", "abc");
    assertThat(s.wants(31)).isTrue();
    assertThat(s.wants(40)).isFalse();
  }

  @Test
  void aPartitionCommitsUpToItsFirstUnfinishedNotice() {
    PartitionProgress p = new PartitionProgress();
    assertThat(p.committable()).isEqualTo(-1);
    PartitionProgress.Pending n10 = p.add(10, 2);
    PartitionProgress.Pending n11 = p.add(11, 1);
    p.add(12, 0);
    assertThat(p.committable()).isEqualTo(10);
    n11.finishOne();
    n10.finishOne();
    assertThat(p.committable()).isEqualTo(10);
    n10.finishOne();
    assertThat(p.committable()).isEqualTo(13);
  }
}
