package io.capstan.mixer.image;

import io.capstan.mixer.compositor.ImageDecoder;
import io.capstan.mixer.compositor.SourcePicture;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mixer's image loader: a few threads of their own ({@link ImageSettings#threads}) that fetch,
 * check and decode the images of every job, so a slow or hostile image server costs at most one of
 * these threads for at most the fetch deadline, and never the mixing loop. Each image: fetch (the
 * address rule, the byte limit, the deadline), read its header and refuse it above the pixel
 * limit, then decode. Cancelling a load that is still fetching interrupts it.
 */
public final class ImagePool implements ImageLoader, AutoCloseable {

  /** Loads waiting for a thread; beyond it a load fails at once rather than queue without end. */
  static final int MAX_WAITING = 256;

  private final ImageSettings settings;
  private final ImageFetcher fetcher;
  private final ThreadPoolExecutor executor;
  /** Loads not yet settled, so {@link #close} can fail them. */
  private final Set<CompletableFuture<SourcePicture>> pending = ConcurrentHashMap.newKeySet();

  public ImagePool(ImageSettings settings) {
    this.settings = settings;
    this.fetcher = new ImageFetcher(settings);
    AtomicInteger threadNumber = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(MAX_WAITING), task -> {
          Thread thread = new Thread(task, "mixer-images-" + threadNumber.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  @Override
  public CompletableFuture<SourcePicture> load(String location, int maxWidth, int maxHeight) {
    CompletableFuture<SourcePicture> result = new CompletableFuture<>();
    pending.add(result);
    result.whenComplete((picture, error) -> pending.remove(result));
    Future<?> task;
    try {
      task = executor.submit(() -> run(result, location, maxWidth, maxHeight));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new ImageException(executor.isShutdown() ? "the mixer is stopping"
          : "the mixer has " + MAX_WAITING + " images waiting to be fetched already"));
      return result;
    }
    result.whenComplete((picture, error) -> {
      if (result.isCancelled()) {
        task.cancel(true);
      }
    });
    return result;
  }

  /** Loads waiting or running: what the pool is behind by. */
  public int inFlight() {
    return pending.size();
  }

  private void run(CompletableFuture<SourcePicture> result, String location, int maxWidth, int maxHeight) {
    try {
      if (result.isDone()) {
        return; // cancelled while it waited
      }
      byte[] image = fetcher.fetch(location);
      ImageHeader header = ImageHeader.read(image);
      header.check(settings.maxPixels());
      SourcePicture picture = ImageDecoder.decode(image, header.format(), maxWidth, maxHeight, settings.maxPixels());
      if (!result.complete(picture)) {
        picture.close(); // nobody wants it any more
      }
    } catch (InterruptedException e) {
      result.completeExceptionally(new ImageException("the fetch was cancelled"));
    } catch (Throwable e) {
      result.completeExceptionally(e);
    }
  }

  /** Interrupts the loads still going on; every load not settled yet fails. */
  @Override
  public void close() {
    executor.shutdownNow();
    ImageException stopping = new ImageException("the mixer is stopping");
    List.copyOf(pending).forEach(result -> result.completeExceptionally(stopping));
  }
}
