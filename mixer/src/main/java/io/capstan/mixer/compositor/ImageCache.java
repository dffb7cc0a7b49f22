package io.capstan.mixer.compositor;

import io.capstan.runtime.config.Secrets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The images of one job (canvas and user backgrounds), each decoded once, on first use, and kept
 * until the job ends. An image that fails is reported once through {@code warnings} and remembered
 * as missing, so the colour is shown instead and the job never retries it frame after frame.
 */
public final class ImageCache implements AutoCloseable {

  private final int maxWidth;
  private final int maxHeight;
  private final Duration timeout;
  private final Consumer<String> warnings;
  /** A null value: the image failed. */
  private final Map<String, SourcePicture> images = new HashMap<>();

  public ImageCache(int maxWidth, int maxHeight, Duration timeout, Consumer<String> warnings) {
    this.maxWidth = maxWidth;
    this.maxHeight = maxHeight;
    this.timeout = timeout;
    this.warnings = warnings;
  }

  /** The decoded image, or null when {@code location} is empty or the image fails. */
  public SourcePicture get(String location) {
    if (location == null || location.isBlank()) {
      return null;
    }
    if (images.containsKey(location)) {
      return images.get(location);
    }
    SourcePicture picture = null;
    try {
      picture = ImageDecoder.decode(location, maxWidth, maxHeight, timeout);
    } catch (RuntimeException e) {
      warnings.accept("image " + Secrets.redactUrl(location) + " cannot be shown (" + Secrets.redactUrl(e.getMessage())
          + "); the background colour is shown instead");
    }
    images.put(location, picture);
    return picture;
  }

  @Override
  public void close() {
    images.values().stream().filter(p -> p != null).forEach(SourcePicture::close);
    images.clear();
  }
}
