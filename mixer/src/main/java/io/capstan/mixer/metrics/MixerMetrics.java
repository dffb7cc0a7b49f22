package io.capstan.mixer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * The mixer's own meters, shared by every job of a service (Prometheus adds {@code _total} to the
 * counters): late media dropped ({@code capstan_mixer_late_frames_total{kind}}), frames dropped
 * because a uid ran too far ahead of the output, frames composed, and the time composing and
 * encoding take (where a job's CPU goes).
 */
public final class MixerMetrics {

  private final Counter lateVideo;
  private final Counter lateAudio;
  private final Counter droppedAhead;
  private final Counter composed;
  private final Timer compose;
  private final Timer encodeVideo;
  private final Timer encodeAudio;

  public MixerMetrics(MeterRegistry registry) {
    lateVideo = late(registry, "video");
    lateAudio = late(registry, "audio");
    droppedAhead = Counter.builder("capstan_mixer_dropped_frames")
        .description("video frames dropped because their uid ran too far ahead of the output").register(registry);
    composed = Counter.builder("capstan_mixer_frames_composed").description("output video frames composed")
        .register(registry);
    compose = Timer.builder("capstan_mixer_compose").description("time to compose one output picture")
        .register(registry);
    encodeVideo = encodeTimer(registry, "video");
    encodeAudio = encodeTimer(registry, "audio");
  }

  /** For tests and tools: meters nobody reads. */
  public static MixerMetrics discard() {
    return new MixerMetrics(new SimpleMeterRegistry());
  }

  private static Counter late(MeterRegistry registry, String kind) {
    return Counter.builder("capstan_mixer_late_frames").tag("kind", kind)
        .description("media records that arrived after their output instant was made, dropped").register(registry);
  }

  private static Timer encodeTimer(MeterRegistry registry, String kind) {
    return Timer.builder("capstan_mixer_encode").tag("kind", kind).description("time to encode one frame or block")
        .register(registry);
  }

  public void lateVideo() {
    lateVideo.increment();
  }

  public void lateAudio() {
    lateAudio.increment();
  }

  public void droppedAhead(long frames) {
    droppedAhead.increment(frames);
  }

  public void composed(long nanos) {
    composed.increment();
    compose.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void encodedVideo(long nanos) {
    encodeVideo.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void encodedAudio(long nanos) {
    encodeAudio.record(nanos, TimeUnit.NANOSECONDS);
  }
}
