package io.capstan.mixer.image;

import io.capstan.runtime.config.Secrets;
import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.net.RefusedAddressException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches one image's bytes over http or https for a REST caller's URL. Each hop's host is checked
 * against the {@link AddressPolicy} right before the request, and redirects are followed here (at
 * most {@value #MAX_REDIRECTS}) so a public URL cannot bounce the mixer to an inside one. The whole
 * fetch has one deadline, so a server that trickles its bytes is cut off; the body is read only up
 * to the byte limit, so a huge one is refused, not downloaded. Blocking: run it on the image pool.
 */
final class ImageFetcher {

  static final int MAX_REDIRECTS = 3;
  /** A host that does not answer at all fails early; the deadline still bounds everything after. */
  private static final Duration MAX_CONNECT = Duration.ofSeconds(5);

  private final HttpClient client;
  private final AddressPolicy addresses;
  private final Duration timeout;
  private final int maxBytes;

  ImageFetcher(ImageSettings settings) {
    this.addresses = settings.addresses();
    this.timeout = settings.timeout();
    this.maxBytes = settings.maxBytes();
    Duration connect = settings.timeout().compareTo(MAX_CONNECT) < 0 ? settings.timeout() : MAX_CONNECT;
    this.client = HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * The image's bytes.
   *
   * @throws ImageException       refused, failed, too large or too slow, in words for the user
   * @throws InterruptedException when the job no longer wants the image
   */
  byte[] fetch(String location) throws ImageException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI uri = parse(location);
    for (int redirects = 0; ; redirects++) {
      allow(uri);
      HttpResponse<byte[]> response = exchange(uri, deadline);
      int status = response.statusCode();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        if (redirects == MAX_REDIRECTS) {
          throw new ImageException("more than " + MAX_REDIRECTS + " redirects");
        }
        String next = response.headers().firstValue("location")
            .orElseThrow(() -> new ImageException("HTTP " + status + " without a Location"));
        uri = resolve(uri, next);
        continue;
      }
      if (status < 200 || status > 299) {
        throw new ImageException("HTTP " + status + (uri.toString().equals(location) ? ""
            : " from " + Secrets.redactUrl(uri.toString())));
      }
      return response.body();
    }
  }

  private static URI parse(String location) throws ImageException {
    URI uri;
    try {
      uri = new URI(location.trim());
    } catch (URISyntaxException e) {
      throw new ImageException("it is not a valid URL (" + e.getReason() + ")");
    }
    if (!webUrl(uri)) {
      throw new ImageException("only http and https image URLs are fetched");
    }
    return uri;
  }

  private static URI resolve(URI from, String location) throws ImageException {
    URI uri;
    try {
      uri = from.resolve(new URI(location.trim()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new ImageException("it redirects to an invalid URL");
    }
    if (!webUrl(uri)) {
      throw new ImageException("it redirects to '" + Secrets.redactUrl(uri.toString())
          + "'; only http and https image URLs are fetched");
    }
    return uri;
  }

  /** Only http and https, with a host: a caller's URL must not reach files or other protocols. */
  private static boolean webUrl(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
  }

  private void allow(URI uri) throws ImageException {
    try {
      addresses.resolve(uri.getHost());
    } catch (RefusedAddressException e) {
      throw new ImageException("refused: " + e.getMessage());
    }
  }

  private HttpResponse<byte[]> exchange(URI uri, long deadline) throws ImageException, InterruptedException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw tooSlow();
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left))
        .header("Accept", "image/png,image/jpeg,image/gif,image/bmp;q=0.9,*/*;q=0.5").GET().build();
    LimitedBody body = new LimitedBody(maxBytes);
    CompletableFuture<HttpResponse<byte[]>> response = client.sendAsync(request, body);
    try {
      return response.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw tooSlow();
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    } finally {
      // a trickling or abandoned exchange must let go of its connection now
      body.abort();
      response.cancel(true);
    }
  }

  private ImageException tooSlow() {
    String limit = timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    return new ImageException("it took longer than " + limit + " to fetch (" + ImageSettings.FETCH_TIMEOUT.name()
        + ")");
  }

  private ImageException failure(Throwable error) {
    // the body's own refusal (too large) may come back wrapped by the client
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ImageException e) {
        return e;
      }
    }
    if (error instanceof HttpTimeoutException) {
      return tooSlow();
    }
    if (error instanceof ConnectException) {
      return new ImageException("cannot connect to it");
    }
    return new ImageException("the fetch failed (" + error + ")");
  }
}
