package io.capstan.gateway.recording;

import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** What the gateway knows of jobs: their specs ({@code capstan.jobs}) and statuses ({@code capstan.status}). */
public interface JobLookup {

  Optional<JobSpec> spec(String sid);

  Optional<JobStatus> status(String sid);

  Collection<JobSpec> specs();

  Collection<JobStatus> statuses();

  /** Completes with the status once {@code done} holds for it, or with the latest status after {@code timeout}. */
  CompletableFuture<Optional<JobStatus>> awaitStatus(String sid, Predicate<JobStatus> done, Duration timeout);
}
