package io.capstan.mixer.image;

import io.capstan.mixer.compositor.SourcePicture;
import io.capstan.runtime.config.Secrets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The images of one job (canvas and user backgrounds), each loaded once, in the background, and
 * kept until the job ends. Used from the mixing loop only: {@link #get} never waits; until an image
 * is ready it is simply not there, and the frame shows what it would without it. An image that
 * fails is reported once through {@code warnings} (on the loop's thread, like every other event of
 * the job) and remembered, so the job never retries it frame after frame.
 */
public final class ImageCache implements AutoCloseable {

  private final ImageLoader loader;
  private final int maxWidth;
  private final int maxHeight;
  private final Consumer<String> warnings;
  private final Map<String, Entry> images = new HashMap<>();

  public ImageCache(ImageLoader loader, int maxWidth, int maxHeight, Consumer<String> warnings) {
    this.loader = loader;
    this.maxWidth = maxWidth;
    this.maxHeight = maxHeight;
    this.warnings = warnings;
  }

  /**
   * The image if it is ready; null while it loads, when it failed, or when {@code location} is
   * empty. The first call for a location starts loading it.
   *
   * @param field what the caller named the image in the request, for the warning if it fails
   */
  public SourcePicture get(String field, String location) {
    if (location == null || location.isBlank()) {
      return null;
    }
    Entry entry = images.computeIfAbsent(location, l -> new Entry(field, loader.load(l, maxWidth, maxHeight)));
    return entry.picture(location);
  }

  /** Reports every image that failed since the last call, shown or not (once each). */
  public void reportFailures() {
    images.forEach((location, entry) -> entry.picture(location));
  }

  @Override
  public void close() {
    images.values().forEach(Entry::release);
    images.clear();
  }

  private final class Entry {
    private final String field;
    private final CompletableFuture<SourcePicture> load;
    /** The load's outcome, taken once: a failed load is not rethrown every frame. */
    private boolean settled;
    private SourcePicture picture;

    Entry(String field, CompletableFuture<SourcePicture> load) {
      this.field = field;
      this.load = load;
    }

    SourcePicture picture(String location) {
      if (!settled && load.isDone()) {
        settled = true;
        try {
          picture = load.join();
        } catch (CompletionException | CancellationException e) {
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          warnings.accept(field + " " + Secrets.redactUrl(location) + " cannot be shown: " + reason(cause)
              + "; the recording goes on without it");
        }
      }
      return picture;
    }

    /** Closes the picture if it came; cancels the load if it is still going on. */
    void release() {
      if (settled) {
        if (picture != null) {
          picture.close();
        }
      } else if (!load.cancel(false) && !load.isCompletedExceptionally()) {
        load.join().close(); // it came after all, just now
      }
    }
  }

  private static String reason(Throwable cause) {
    return cause instanceof ImageException ? cause.getMessage() : "it does not decode (" + cause.getMessage() + ")";
  }
}
