package io.capstan.ingest.publish;

import io.capstan.schemas.AudioFrame;
import java.nio.ByteBuffer;

/**
 * The part of an audio frame that falls in one writer's share of a handover ({@code [fromUs,
 * untilUs)} of the job timeline), cut on a sample: the previous writer keeps the samples before the
 * point, the next one those from it, so the sound goes on with neither a hole nor two writers'
 * samples summed. The samples are not copied: the frame's buffer is narrowed.
 */
final class AudioShare {

  /** A frame (and its first sample's time) of the share. */
  record Part(long timestampUs, AudioFrame frame) {
  }

  private AudioShare() {
  }

  /** @return the part of {@code frame} (16-bit samples from {@code timestampUs}) in the share, or null: none of it */
  static Part of(AudioFrame frame, long timestampUs, long fromUs, long untilUs) {
    int rate = frame.getSampleRate();
    int bytesPerSample = 2 * Math.max(1, frame.getChannels());
    ByteBuffer samples = frame.getSamples();
    int count = samples.remaining() / bytesPerSample;
    if (rate <= 0 || count == 0) {
      return timestampUs >= fromUs && timestampUs < untilUs ? new Part(timestampUs, frame) : null;
    }
    int first = fromUs > timestampUs ? samplesBefore(fromUs - timestampUs, rate) : 0;
    int end = untilUs == Long.MAX_VALUE ? count : Math.min(count, samplesBefore(untilUs - timestampUs, rate));
    if (first >= end) {
      return null;
    }
    if (first == 0 && end == count) {
      return new Part(timestampUs, frame);
    }
    ByteBuffer part = samples.duplicate();
    part.position(samples.position() + first * bytesPerSample);
    part.limit(samples.position() + end * bytesPerSample);
    return new Part(timestampUs + first * 1_000_000L / rate,
        AudioFrame.newBuilder(frame).setSamples(part.slice()).build());
  }

  /** How many samples from a frame's start come before {@code spanUs} (negative spans: none). */
  private static int samplesBefore(long spanUs, int rate) {
    if (spanUs <= 0) {
      return 0;
    }
    return (int) Math.min(Integer.MAX_VALUE, (spanUs * rate + 999_999) / 1_000_000);
  }
}
