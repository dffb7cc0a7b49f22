package io.capstan.segmenter.rtmp;

import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Packet;
import io.capstan.schemas.RtmpPublishStatus;
import io.capstan.schemas.WebRecording;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The live pushes of the jobs this segmenter owns: a web job whose spec names RTMP outputs
 * ({@code web.rtmpUrls}) gets one {@link RtmpPublisher} per URL at its first composite packet;
 * the publishers get every composite packet and end with the job's EndOfJob. Their states become
 * event 100 (rtmp_publish_status).
 *
 * <p>Called by the segmenter's loop thread only.
 */
public final class RtmpPushes implements AutoCloseable {

  private static final int REMEMBERED_ENDED = 1000;

  private final Function<String, Optional<JobSpec>> specs;
  private final BiConsumer<JobSpec, RtmpPublishStatus> events;
  private final Duration maxBackoff;
  private final Duration ioTimeout;
  private final Map<String, Job> jobs = new HashMap<>();
  private final Set<String> ended = new LinkedHashSet<>();

  private record Job(int partition, List<RtmpPublisher> publishers) {
  }

  /**
   * @param specs the current spec of a job (the job view: onhold changes with Update)
   * @param events sends an event 100 of a job (any thread)
   */
  public RtmpPushes(Function<String, Optional<JobSpec>> specs, BiConsumer<JobSpec, RtmpPublishStatus> events,
                    Duration maxBackoff, Duration ioTimeout) {
    this.specs = specs;
    this.events = events;
    this.maxBackoff = maxBackoff;
    this.ioTimeout = ioTimeout;
  }

  /** A record of capstan.packets, read from {@code partition}. */
  public void onRecord(int partition, EncodedPacket record) {
    if (!record.getUid().isEmpty()) {
      return;
    }
    String jobId = record.getJobId();
    Object body = record.getBody();
    if (body instanceof EndOfJob) {
      Job job = jobs.remove(jobId);
      if (job != null) {
        job.publishers().forEach(RtmpPublisher::end);
      }
      remember(jobId);
      return;
    }
    if (!(body instanceof Packet packet)) {
      return;
    }
    Job job = jobs.get(jobId);
    if (job == null) {
      if (ended.contains(jobId)) {
        return;
      }
      Optional<JobSpec> found = specs.apply(jobId);
      WebRecording web = found.map(JobSpec::getWeb).orElse(null);
      if (web == null || web.getRtmpUrls().isEmpty()) {
        remember(jobId);
        return;
      }
      JobSpec spec = found.get();
      List<RtmpPublisher> publishers = new ArrayList<>();
      for (String url : web.getRtmpUrls()) {
        publishers.add(new RtmpPublisher(jobId, url,
            (u, status) -> events.accept(current(spec), new RtmpPublishStatus(u, status)),
            () -> onhold(spec), maxBackoff, ioTimeout));
      }
      job = new Job(partition, publishers);
      jobs.put(jobId, job);
    }
    job.publishers().forEach(p -> p.offer(packet));
  }

  /** The partition went to another instance: its pushes stop here (the new owner pushes). */
  public void closePartition(int partition) {
    jobs.entrySet().removeIf(e -> {
      if (e.getValue().partition() == partition) {
        e.getValue().publishers().forEach(RtmpPublisher::close);
        return true;
      }
      return false;
    });
  }

  /** Publishers of a job (tests). */
  public List<RtmpPublisher> publishers(String jobId) {
    Job job = jobs.get(jobId);
    return job == null ? List.of() : job.publishers();
  }

  @Override
  public void close() {
    jobs.values().forEach(j -> j.publishers().forEach(RtmpPublisher::close));
    jobs.clear();
  }

  private JobSpec current(JobSpec spec) {
    return specs.apply(spec.getJobId()).orElse(spec);
  }

  private boolean onhold(JobSpec spec) {
    JobSpec now = current(spec);
    return now.getWeb() != null && now.getWeb().getOnhold();
  }

  private void remember(String jobId) {
    ended.add(jobId);
    if (ended.size() > REMEMBERED_ENDED) {
      ended.remove(ended.iterator().next());
    }
  }
}
