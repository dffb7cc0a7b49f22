package io.capstan.gateway.kafka;

import io.capstan.gateway.recording.JobLookup;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Jobs as the compacted topics show them: {@code capstan.jobs} (specs, by ingest) and
 * {@code capstan.status} (statuses, by the notifier). Waiting for a status checks the view on a
 * shared scheduler, so a waiting stop holds no HTTP thread.
 */
public final class KafkaJobLookup implements JobLookup {

  private static final long CHECK_MS = 100;

  private final TopicView<JobSpec> specs;
  private final TopicView<JobStatus> statuses;
  private final ScheduledExecutorService scheduler;

  public KafkaJobLookup(TopicView<JobSpec> specs, TopicView<JobStatus> statuses, ScheduledExecutorService scheduler) {
    this.specs = specs;
    this.statuses = statuses;
    this.scheduler = scheduler;
  }

  @Override
  public Optional<JobSpec> spec(String sid) {
    return specs.get(sid);
  }

  @Override
  public Optional<JobStatus> status(String sid) {
    return statuses.get(sid);
  }

  @Override
  public Collection<JobSpec> specs() {
    return specs.all().values();
  }

  @Override
  public Collection<JobStatus> statuses() {
    return statuses.all().values();
  }

  @Override
  public <T> CompletableFuture<Optional<T>> await(Supplier<Optional<T>> found, Duration timeout) {
    CompletableFuture<Optional<T>> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    ScheduledFuture<?> check = scheduler.scheduleWithFixedDelay(() -> {
      Optional<T> value = found.get();
      if (value.isPresent() || System.nanoTime() >= deadline) {
        result.complete(value);
      }
    }, 0, CHECK_MS, TimeUnit.MILLISECONDS);
    result.whenComplete((value, error) -> check.cancel(false));
    return result;
  }
}
