package io.capstan.mixer.image;

import io.capstan.runtime.config.Config;
import io.capstan.runtime.config.ConfigException;
import io.capstan.runtime.config.Setting;
import io.capstan.runtime.net.AddressPolicy;
import java.time.Duration;
import java.util.List;

/**
 * How the mixer fetches background and placeholder images, parsed once at start. The URLs come
 * from REST callers, so every limit here is about what a stranger's URL may cost the mixer: time,
 * bytes, pixels, and which hosts it may make the mixer reach.
 *
 * @param timeout   the whole fetch of one image (connect, redirects, headers, body)
 * @param threads   fetches and decodes at once, shared by every job of the mixer
 * @param maxBytes  the most of a body read; a larger image is refused, not downloaded
 * @param maxPixels the most width x height decoded; checked on the image's header first
 */
public record ImageSettings(Duration timeout, int threads, int maxBytes, long maxPixels, AddressPolicy addresses) {

  public static final Setting<Duration> FETCH_TIMEOUT = Setting.duration("mixer.image.fetch.timeout",
      Duration.ofSeconds(10), "longest time fetching one background or placeholder image may take, redirects"
          + " included; a slower server is cut off and the recording goes on without the image");
  public static final Setting<Integer> FETCH_THREADS = Setting.integer("mixer.image.fetch.threads", 2,
      "threads fetching and decoding images, shared by every job of the mixer (the mixing loop never waits"
          + " for an image)");
  public static final Setting<Integer> MAX_BYTES = Setting.integer("mixer.image.max.bytes", 10 * 1024 * 1024,
      "largest image body the mixer reads; a larger image is refused without being downloaded");
  public static final Setting<Long> MAX_PIXELS = Setting.longValue("mixer.image.max.pixels", 4096L * 4096,
      "largest image (width x height) the mixer decodes; checked on the image's header, a larger one is refused");

  public ImageSettings {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new ConfigException(FETCH_TIMEOUT.name() + " must be positive, got " + timeout);
    }
    if (threads < 1) {
      throw new ConfigException(FETCH_THREADS.name() + " must be at least 1, got " + threads);
    }
    if (maxBytes < 1) {
      throw new ConfigException(MAX_BYTES.name() + " must be positive, got " + maxBytes);
    }
    if (maxPixels < 1) {
      throw new ConfigException(MAX_PIXELS.name() + " must be positive, got " + maxPixels);
    }
  }

  public static ImageSettings from(Config config) {
    return new ImageSettings(config.get(FETCH_TIMEOUT), config.get(FETCH_THREADS), config.get(MAX_BYTES),
        config.get(MAX_PIXELS), AddressPolicy.of(config.get(AddressPolicy.ALLOW_PRIVATE)));
  }

  /** The settings read here, for the service's list (the address rule is the runtime's, shared). */
  public static List<Setting<?>> settings() {
    return List.of(FETCH_TIMEOUT, FETCH_THREADS, MAX_BYTES, MAX_PIXELS, AddressPolicy.ALLOW_PRIVATE);
  }
}
