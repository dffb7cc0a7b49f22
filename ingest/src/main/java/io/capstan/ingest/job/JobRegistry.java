package io.capstan.ingest.job;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The jobs this instance runs now, by jobId; a job removes itself when it ends or is handed over. */
public final class JobRegistry {

  private final Map<String, Job> jobs = new ConcurrentHashMap<>();

  public Optional<Job> get(String jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  /** @return false when a job with that id runs already */
  public boolean add(Job job) {
    return jobs.putIfAbsent(job.jobId(), job) == null;
  }

  public void remove(Job job) {
    jobs.remove(job.jobId(), job);
  }

  public List<Job> all() {
    return List.copyOf(jobs.values());
  }

  public List<Job> ofPartition(int partition) {
    return jobs.values().stream().filter(j -> j.partition() == partition).toList();
  }
}
