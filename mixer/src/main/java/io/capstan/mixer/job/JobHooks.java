package io.capstan.mixer.job;

import io.capstan.mixer.metrics.MixerMetrics;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What a job reports to its service besides packets: meters, and warnings for the user (a
 * background image that cannot be shown becomes a RecordingWarning event).
 *
 * @param imageTimeout how long fetching one background image may take
 */
public record JobHooks(MixerMetrics metrics, Consumer<String> warnings, Duration imageTimeout) {

  public static JobHooks discard() {
    return new JobHooks(MixerMetrics.discard(), message -> { }, Duration.ofSeconds(10));
  }
}
