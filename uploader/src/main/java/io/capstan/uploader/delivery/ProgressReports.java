package io.capstan.uploader.delivery;

import io.capstan.runtime.events.Events;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.UploadingProgress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;

/**
 * Sends uploading_progress (event 33) for the live recordings whose files this instance delivers,
 * at every whole interval after the recording started, as the hosted product does each minute.
 * Post-processing and other fast-paced jobs have no recording clock to compare with: they only get
 * the final 10000, with Uploaded. Used by the delivery's polling thread only.
 */
final class ProgressReports {

  private final long intervalMs;
  private final Producer<String, SpecificRecord> producer;
  private final Map<String, Long> nextDueMs = new HashMap<>();
  /** When a job was first seen stopped: its recording time ends there. */
  private final Map<String, Long> stoppedAtMs = new HashMap<>();

  ProgressReports(Duration interval, Producer<String, SpecificRecord> producer) {
    this.intervalMs = Math.max(1, interval.toMillis());
    this.producer = producer;
  }

  void report(long nowMs, Map<String, JobUploads> uploads, TopicView<JobSpec> jobs) {
    nextDueMs.keySet().retainAll(uploads.keySet());
    stoppedAtMs.keySet().retainAll(uploads.keySet());
    uploads.forEach((jobId, job) -> {
      JobSpec spec = jobs.get(jobId).orElse(null);
      if (spec == null || spec.getPacing() != Pacing.REALTIME || spec.getPostProcessing() != null || job.failed()) {
        return;
      }
      if (!spec.getRunning()) {
        stoppedAtMs.putIfAbsent(jobId, nowMs);
      }
      long start = spec.getStartedUtcMs();
      long due = nextDueMs.computeIfAbsent(jobId, id -> nextAfter(start, nowMs - 1));
      if (nowMs < due) {
        return;
      }
      nextDueMs.put(jobId, nextAfter(start, nowMs));
      int progress = UploadProgress.of(start, job.lastSliceEndUtcMs(), stoppedAtMs.getOrDefault(jobId, nowMs),
          spec.getFiles().getSliceSeconds());
      Events.sendUntilWritten(producer, Events.of(spec, UploadingProgress.newBuilder().setProgress(progress).build()));
    });
  }

  /** The first whole interval after the start that is later than {@code t}. */
  private long nextAfter(long start, long t) {
    if (t < start) {
      return start + intervalMs;
    }
    return start + ((t - start) / intervalMs + 1) * intervalMs;
  }
}
