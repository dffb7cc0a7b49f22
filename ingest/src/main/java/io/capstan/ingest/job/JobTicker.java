package io.capstan.ingest.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic work of running jobs (watermark heartbeats, housekeeping), scheduled only while
 * the registry holds a job: an ingest with no recording does not wake for them.
 */
public final class JobTicker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JobTicker.class);

  private final JobRegistry registry;
  private final ScheduledExecutorService scheduler;
  private final List<Periodic> work = new ArrayList<>();
  private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
  private boolean closed;

  public JobTicker(JobRegistry registry, String threadName) {
    this.registry = registry;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    registry.onChange(this::jobsChanged);
  }

  /** Runs {@code action} on every job each {@code every} while there are jobs. */
  public synchronized JobTicker every(Duration every, Consumer<Job> action) {
    work.add(new Periodic(every, action));
    return this;
  }

  /** Starts or stops the ticks as the registry fills or empties; it reads the registry, not the call. */
  private synchronized void jobsChanged() {
    boolean wanted = !closed && !registry.isEmpty();
    if (wanted && scheduled.isEmpty()) {
      for (Periodic p : work) {
        long nanos = p.every().toNanos();
        scheduled.add(scheduler.scheduleAtFixedRate(() -> forEachJob(p.action()), nanos, nanos, TimeUnit.NANOSECONDS));
      }
    } else if (!wanted && !scheduled.isEmpty()) {
      scheduled.forEach(f -> f.cancel(false));
      scheduled.clear();
    }
  }

  private void forEachJob(Consumer<Job> action) {
    for (Job job : registry.all()) {
      try {
        action.accept(job);
      } catch (RuntimeException e) {
        log.warn("job {}: periodic work failed", job.jobId(), e);
      }
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      scheduled.clear();
    }
    scheduler.shutdownNow();
  }

  private record Periodic(Duration every, Consumer<Job> action) {
  }
}
