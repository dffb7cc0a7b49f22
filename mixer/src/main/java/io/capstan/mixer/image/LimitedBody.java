package io.capstan.mixer.image;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The body of one image response, read only while it stays within {@code maxBytes}: a declared
 * Content-Length over the limit is refused before a byte is read, a longer body stops the read
 * where it crosses it. Anything but a 2xx (a redirect, an error page) is not read at all.
 * {@link #abort} lets go of the connection when the fetch gives up (deadline, cancelled job).
 */
final class LimitedBody implements HttpResponse.BodyHandler<byte[]>, HttpResponse.BodySubscriber<byte[]> {

  private final int maxBytes;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private volatile boolean read;
  private volatile Flow.Subscription subscription;

  LimitedBody(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
    read = info.statusCode() / 100 == 2;
    long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
    if (read && declared > maxBytes) {
      result.completeExceptionally(tooLarge());
    }
    return this;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (result.isDone() || !read) {
      s.cancel();
      result.complete(new byte[0]);
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      if (bytes.size() + (long) buffer.remaining() > maxBytes) {
        subscription.cancel();
        result.completeExceptionally(tooLarge());
        return;
      }
      byte[] chunk = new byte[buffer.remaining()];
      buffer.get(chunk);
      bytes.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(bytes.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  /** Stops reading, if it is still going on. */
  void abort() {
    Flow.Subscription s = subscription;
    if (s != null && !result.isDone()) {
      s.cancel();
    }
    result.completeExceptionally(new ImageException("the fetch was abandoned"));
  }

  private ImageException tooLarge() {
    return new ImageException("it is larger than the " + maxBytes + " bytes the mixer reads ("
        + ImageSettings.MAX_BYTES.name() + ")");
  }
}
