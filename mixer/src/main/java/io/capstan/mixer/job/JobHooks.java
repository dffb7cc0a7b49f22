package io.capstan.mixer.job;

import io.capstan.mixer.image.ImageLoader;
import io.capstan.mixer.metrics.MixerMetrics;
import java.util.function.Consumer;

/**
 * What a job uses of its service besides the packet output: meters, warnings for the user (a
 * background image that cannot be shown becomes a RecordingWarning event), and the image loader
 * every job of the service shares.
 */
public record JobHooks(MixerMetrics metrics, Consumer<String> warnings, ImageLoader images) {

  public static JobHooks discard() {
    return new JobHooks(MixerMetrics.discard(), message -> { }, ImageLoader.none());
  }
}
