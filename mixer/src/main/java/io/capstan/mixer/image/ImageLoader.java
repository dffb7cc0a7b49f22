package io.capstan.mixer.image;

import io.capstan.mixer.compositor.SourcePicture;
import java.util.concurrent.CompletableFuture;

/**
 * Where a job's images come from. {@link #load} only starts the work and returns at once: the
 * mixing loop, which every job shares, never waits for an image.
 */
public interface ImageLoader {

  /**
   * Starts fetching and decoding the image at {@code location}, scaled to fit
   * {@code maxWidth x maxHeight}. The picture belongs to the caller, who closes it; a caller that
   * no longer wants it cancels the future instead (the picture, if one still comes, is closed
   * then). Fails with an {@link ImageException} saying why the image cannot be shown.
   */
  CompletableFuture<SourcePicture> load(String location, int maxWidth, int maxHeight);

  /** A loader that shows no images (tools and tests that do not draw any). */
  static ImageLoader none() {
    return (location, maxWidth, maxHeight) ->
        CompletableFuture.failedFuture(new ImageException("this mixer does not load images"));
  }
}
