package io.capstan.ingest.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs this instance runs now, by jobId; a job removes itself when it ends or is handed over.
 * A job whose partition went to another instance but which still records up to the point it
 * hands over ({@link #leave}) is leaving: it is ticked like the others, but no command reaches it
 * and the same job may be owned here again (resumed from that point) while it leaves.
 */
public final class JobRegistry {

  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Set<Job> leaving = ConcurrentHashMap.newKeySet();
  private volatile Runnable onChange = () -> { };

  /** Called after every job added or removed (the registry may have changed again since). */
  public void onChange(Runnable listener) {
    this.onChange = listener;
  }

  /** True when no job runs here, owned or leaving. */
  public boolean isEmpty() {
    return jobs.isEmpty() && leaving.isEmpty();
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
    boolean owned = jobs.remove(job.jobId(), job);
    if (leaving.remove(job) || owned) {
      onChange.run();
    }
  }

  /** {@code job} records on until it hands over, no longer owned here. */
  public void leave(Job job) {
    if (jobs.remove(job.jobId(), job)) {
      leaving.add(job);
    }
  }

  /** Where the leaving job {@code jobId} stops writing on its timeline, or Long.MIN_VALUE. */
  public long leavingUntilUs(String jobId) {
    return leaving.stream().filter(j -> j.jobId().equals(jobId)).mapToLong(Job::handOffUs).max()
        .orElse(Long.MIN_VALUE);
  }

  public List<Job> leaving() {
    return List.copyOf(leaving);
  }

  /** The jobs owned here (not leaving). */
  public List<Job> owned() {
    return List.copyOf(jobs.values());
  }

  /** Every job that runs here, owned and leaving. */
  public List<Job> all() {
    List<Job> all = new ArrayList<>(jobs.values());
    all.addAll(leaving);
    return all;
  }

  /** The owned jobs of a command partition. */
  public List<Job> ofPartition(int partition) {
    return jobs.values().stream().filter(j -> j.partition() == partition).toList();
  }
}
