package io.capstan.ingest.job;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The jobs this instance runs now, by jobId; a job removes itself when it ends or is handed over. */
public final class JobRegistry {

  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private volatile Runnable onChange = () -> { };

  /** Called after every job added or removed (the registry may have changed again since). */
  public void onChange(Runnable listener) {
    this.onChange = listener;
  }

  public boolean isEmpty() {
    return jobs.isEmpty();
  }

  public Optional<Job> get(String jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  /** @return false when a job with that id runs already */
  public boolean add(Job job) {
    boolean added = jobs.putIfAbsent(job.jobId(), job) == null;
    if (added) {
      onChange.run();
    }
    return added;
  }

  public void remove(Job job) {
    if (jobs.remove(job.jobId(), job)) {
      onChange.run();
    }
  }

  public List<Job> all() {
    return List.copyOf(jobs.values());
  }

  public List<Job> ofPartition(int partition) {
    return jobs.values().stream().filter(j -> j.partition() == partition).toList();
  }
}
