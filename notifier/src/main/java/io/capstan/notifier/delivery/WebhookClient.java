package io.capstan.notifier.delivery;

import io.capstan.notifier.envelope.Envelope;
import io.capstan.notifier.envelope.Signatures;
import io.capstan.runtime.config.Secrets;
import io.capstan.schemas.Notice;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** POSTs one notice to one subscriber, signed, and says how it went. Never follows redirects. */
public final class WebhookClient {

  /** Enough of an error answer to say what went wrong; the rest is not read. */
  private static final int MAX_BODY_BYTES = 4096;

  private final HttpClient http;
  private final Duration timeout;
  private final DestinationPolicy policy;
  private final Clock clock;

  public WebhookClient(Duration timeout, DestinationPolicy policy, Clock clock) {
    this(timeout, policy, clock, null);
  }

  /** {@code tls}: the trust for HTTPS receivers (a private CA), or null for the JVM's default trust. */
  public WebhookClient(Duration timeout, DestinationPolicy policy, Clock clock, javax.net.ssl.SSLContext tls) {
    this.timeout = timeout;
    this.policy = policy;
    this.clock = clock;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.http = builder.build();
  }

  /** Blocks for at most the timeout. Interrupted: the attempt is abandoned and the interrupt kept. */
  public Attempt send(Subscriber subscriber, Notice notice) throws InterruptedException {
    URI uri;
    try {
      uri = URI.create(subscriber.url());
      Optional<String> refusal = policy.refusal(uri);
      if (refusal.isPresent()) {
        return Attempt.rejected(refusal.get());
      }
    } catch (IllegalArgumentException e) {
      return Attempt.rejected("invalid URL");
    } catch (UnknownHostException e) {
      return Attempt.retry("cannot resolve host");
    }
    byte[] body = Envelope.body(notice, clock.millis());
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(uri)
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    } catch (IllegalArgumentException e) {
      return Attempt.rejected("invalid URL");
    }
    if (subscriber.secret() != null) {
      request.header(Signatures.HEADER_V1, Signatures.sha1(subscriber.secret(), body));
      request.header(Signatures.HEADER_V2, Signatures.sha256(subscriber.secret(), body));
    }
    try {
      HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      String answer;
      try (InputStream in = response.body()) {
        answer = new String(in.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
      }
      // An error page may quote the request's URL (a token in its query): redacted like our own words.
      return Attempt.ofStatus(response.statusCode(), Secrets.redactUrl(answer));
    } catch (HttpTimeoutException e) {
      return Attempt.retry("no answer within " + timeout.toSeconds() + " s");
    } catch (ConnectException e) {
      return Attempt.retry("connection refused");
    } catch (IOException e) {
      // The message may quote the URL: redact it before it reaches a log or a dead letter.
      return Attempt.retry(Secrets.redactUrl(e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }
}
