package io.capstan.gateway.recording;

import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** What the gateway knows of jobs: their specs ({@code capstan.jobs}) and statuses ({@code capstan.status}). */
public interface JobLookup {

  Optional<JobSpec> spec(String sid);

  Optional<JobStatus> status(String sid);

  Collection<JobSpec> specs();

  Collection<JobStatus> statuses();

  /**
   * Completes with what {@code found} finds, as soon as it finds something (checked now and as the
   * views change), or empty after {@code timeout}. Holds no thread while it waits.
   */
  <T> CompletableFuture<Optional<T>> await(Supplier<Optional<T>> found, Duration timeout);

  /** Completes with the status once {@code done} holds for it, or with the latest status after {@code timeout}. */
  default CompletableFuture<Optional<JobStatus>> awaitStatus(String sid, Predicate<JobStatus> done, Duration timeout) {
    return await(() -> status(sid).filter(done), timeout).thenApply(found -> found.or(() -> status(sid)));
  }
}
