package io.capstan.ingest.command;

import io.capstan.ingest.job.Job;
import io.capstan.ingest.job.JobContext;
import io.capstan.ingest.job.JobRegistry;
import io.capstan.ingest.stored.StoredSources;
import io.capstan.runtime.events.Events;
import io.capstan.runtime.events.ExitStatus;
import io.capstan.runtime.spec.JobSpecValidator;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecorderStarted;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.SessionFailover;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StopCommand;
import io.capstan.schemas.UpdateCommand;
import io.capstan.schemas.UpdateLayoutCommand;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one command of a partition this instance owns. A command that cannot be carried out
 * (invalid spec, second Start, Stop of an unknown job) becomes an error event for the user and is
 * skipped: the service keeps going. A Start that is refused also ends its job visibly — session_exit
 * with a non-zero exitStatus — so its status says so and its cname and recorder uid are free again.
 */
public final class CommandHandler {

  /** errorCode of a RecordingError about a command the user got wrong. */
  public static final int INVALID_COMMAND = 2;
  /** errorCode of a RecordingError about a start this instance has no room for. */
  public static final int NO_CAPACITY = 503;

  private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);

  private final JobRegistry registry;
  private final JobContext ctx;

  public CommandHandler(JobRegistry registry, JobContext ctx) {
    this.registry = registry;
    this.ctx = ctx;
  }

  public void handle(int partition, RecordingCommand command) throws InterruptedException {
    Object action = command.getAction();
    if (action instanceof StartCommand start) {
      start(partition, command, start.getSpec());
    } else if (action instanceof StopCommand) {
      Optional<Job> job = running(command, "Stop");
      if (job.isPresent()) {
        job.get().stop();
      }
    } else if (action instanceof UpdateCommand update) {
      Optional<Job> job = running(command, "Update");
      if (job.isPresent()) {
        job.get().update(update).ifPresent(problem -> reject(command.getJobId(), job.get().spec(), problem));
      }
    } else if (action instanceof UpdateLayoutCommand layout) {
      Optional<Job> job = running(command, "UpdateLayout");
      if (job.isPresent()) {
        job.get().updateLayout(layout.getLayout());
      }
    }
  }

  /**
   * Resumes a job of a newly assigned partition from its stored spec, writing its media from
   * {@code fromUs} on its timeline when the previous owner writes it up to there (else from now).
   */
  public void restore(int partition, JobSpec spec, long fromUs) throws InterruptedException {
    Job job = new Job(spec, partition, ctx, registry::remove);
    if (registry.add(job)) {
      log.info("job {} resumed from {}", spec.getJobId(), "capstan.jobs");
      // Agora's session_failover (12): the recording moved to another worker. Capstan keeps the
      // recorder uid (it does not rejoin a channel), so newUid is the uid it had.
      ctx.event(spec, SessionFailover.newBuilder().setNewUid(spec.getRecorderUid()).build());
      job.open(true, fromUs);
    }
  }

  private void start(int partition, RecordingCommand command, JobSpec spec) throws InterruptedException {
    if (!command.getJobId().equals(spec.getJobId())) {
      refuse(command.getJobId(), spec, "spec.jobId: '" + spec.getJobId() + "' differs from the command's jobId '"
          + command.getJobId() + "'");
      return;
    }
    Optional<Job> running = registry.get(spec.getJobId());
    if (running.isPresent() && running.get().restored()
        && command.getIssuedUtcMs() <= running.get().spec().getStartedUtcMs()) {
      // The Start that began this job, seen again: the partition moved before its offset was
      // committed and the job was already resumed from capstan.jobs. Not the user's doing.
      log.info("job {}: its Start {} again after a handover; the job runs already", spec.getJobId(),
          command.getCommandId());
      return;
    }
    if (running.isPresent()) {
      reject(command.getJobId(), spec, "jobId: job " + spec.getJobId() + " is already running");
      return;
    }
    Optional<JobSpecValidator.Problem> problem = ctx.validator().problem(spec);
    if (problem.isPresent()) {
      refuse(command.getJobId(), spec, problem.get().toString());
      return;
    }
    if (registry.all().size() >= ctx.maxJobs()) {
      log.warn("job {}: refused, this instance runs {} jobs already (ingest.max.jobs)", command.getJobId(),
          ctx.maxJobs());
      ctx.event(command.getJobId(), spec.getChannel(), spec.getRecorderUid(), Events.fatal(JobContext.MODULE,
          NO_CAPACITY, "no capacity: the ingest instance that owns this recording runs " + ctx.maxJobs()
              + " recordings already (ingest.max.jobs); start it again later or add ingest instances"));
      exit(command.getJobId(), spec, ExitStatus.NO_CAPACITY);
      return;
    }
    if (spec.getPostProcessing() != null) {
      try {
        // Its timeline, uids and canvas come from the stored recording, before anyone reads the spec.
        spec = ctx.storedSources().prepare(spec);
      } catch (StoredSources.Problem e) {
        refuse(command.getJobId(), spec, e.getMessage());
        return;
      }
    }
    long started = spec.getStartedUtcMs() == 0 ? System.currentTimeMillis() : spec.getStartedUtcMs();
    JobSpec accepted = JobSpec.newBuilder(spec).setStartedUtcMs(started).setRunning(true).build();
    ctx.writeSpec(accepted);
    ctx.event(accepted, new RecorderStarted(0));
    Job job = new Job(accepted, partition, ctx, registry::remove);
    registry.add(job);
    log.info("job {} started ({} sources, {} pacing)", accepted.getJobId(), accepted.getSources().size(),
        accepted.getPacing());
    job.open(false);
  }

  private Optional<Job> running(RecordingCommand command, String name) {
    Optional<Job> job = registry.get(command.getJobId());
    if (job.isEmpty()) {
      reject(command.getJobId(), null, "jobId: no running job " + command.getJobId() + " to " + name);
    }
    return job;
  }

  /** A Start that will not become a recording: the error, then session_exit, so the status and the gateway see it end. */
  private void refuse(String jobId, JobSpec spec, String message) {
    report(jobId, spec, message, true);
    exit(jobId, spec, ExitStatus.REFUSED);
  }

  private void exit(String jobId, JobSpec spec, int exitStatus) {
    ctx.event(jobId, spec.getChannel(), spec.getRecorderUid(), SessionExit.newBuilder().setExitStatus(exitStatus).build());
  }

  /** A command refused while the job (if any) goes on. */
  private void reject(String jobId, JobSpec spec, String message) {
    report(jobId, spec, message, false);
  }

  private void report(String jobId, JobSpec spec, String message, boolean endsTheJob) {
    log.warn("job {}: command refused: {}", jobId, message);
    String channel = spec == null ? "" : spec.getChannel();
    String recorderUid = spec == null ? "" : spec.getRecorderUid();
    ctx.event(jobId, channel, recorderUid, endsTheJob ? Events.fatal(JobContext.MODULE, INVALID_COMMAND, message)
        : Events.error(JobContext.MODULE, INVALID_COMMAND, message));
  }
}
