package io.capstan.gateway.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.gateway.mapping.Caller;
import io.capstan.gateway.mapping.InvalidRequestException;
import io.capstan.gateway.mapping.Modes;
import io.capstan.gateway.mapping.RequestMapper;
import io.capstan.gateway.mapping.ResponseMapper;
import io.capstan.gateway.mapping.Sids;
import io.capstan.gateway.mapping.StartContext;
import io.capstan.gateway.mapping.StartRequest;
import io.capstan.gateway.mapping.StartRequestMapper;
import io.capstan.gateway.resource.ResourceIds;
import io.capstan.runtime.events.ExitStatus;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StopCommand;
import io.capstan.schemas.Subscriptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The six calls of the REST API, without HTTP: check the resourceId, find the job, map the body,
 * write the command and answer as the hosted product does. Jobs this gateway has just started are
 * remembered for a while ({@link #PENDING_TTL}), because ingest writes {@code capstan.jobs} and
 * the notifier {@code capstan.status} only after the command has travelled.
 */
public final class Recordings {

  static final Duration PENDING_TTL = Duration.ofMinutes(10);
  private static final Logger log = LoggerFactory.getLogger(Recordings.class);

  private final ResourceIds resourceIds;
  private final StartRequestMapper mapper;
  private final StartChecks checks;
  private final Duration startWait;
  private final CommandSink commands;
  private final JobLookup jobs;
  private final Duration stopWait;
  private final Clock clock;
  private final UnknownFields unknownFields;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, Long> stopping = new ConcurrentHashMap<>();

  private record Pending(JobSpec spec, long sentMs) {
  }

  /**
   * @param checks    what a start must pass before its command is written
   * @param startWait how long a start waits for ingest to take the recording (or refuse it) before it
   *                  answers; after that the queued command is the promise (ingest starts it when it can)
   */
  public Recordings(ResourceIds resourceIds, StartRequestMapper mapper, StartChecks checks, CommandSink commands,
                    JobLookup jobs, Duration startWait, Duration stopWait, Clock clock) {
    this(resourceIds, mapper, checks, commands, jobs, startWait, stopWait, clock, UnknownFields.unmetered());
  }

  /** @param unknownFields where the bodies' unknown fields (accepted and ignored) are counted and logged */
  public Recordings(ResourceIds resourceIds, StartRequestMapper mapper, StartChecks checks, CommandSink commands,
                    JobLookup jobs, Duration startWait, Duration stopWait, Clock clock, UnknownFields unknownFields) {
    this.unknownFields = unknownFields;
    this.resourceIds = resourceIds;
    this.mapper = mapper;
    this.checks = checks;
    this.startWait = startWait;
    this.commands = commands;
    this.jobs = jobs;
    this.stopWait = stopWait;
    this.clock = clock;
  }

  public Answer acquire(String appId, JsonNode body) {
    RequestMapper.Acquire acquire = RequestMapper.acquire(body);
    unknownFields.seen("acquire", acquire.unknownFields());
    String resourceId = resourceIds.issue(acquire.caller().cname(), acquire.caller().uid(), acquire.scene(),
        acquire.resourceExpiredHour());
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer.put("cname", acquire.caller().cname());
    answer.put("uid", acquire.caller().uid());
    answer.put("resourceId", resourceId);
    return Answer.ok(answer);
  }

  /**
   * Checks the start as ingest will, writes the command, and answers once ingest took the recording,
   * or refused it (then with ingest's reason), or after the start wait.
   */
  public CompletableFuture<Answer> start(String appId, String resourceId, String mode, JsonNode body) {
    Modes.parse(mode);
    Caller caller = Caller.of(body);
    ResourceIds.Claims claims = resourceIds.verifyFor(resourceId, caller.cname(), caller.uid());
    String sid = resourceIds.sidFor(resourceId);
    if (known(sid)) {
      throw new Refusal(201, 7, "already started", ResponseMapper.ids(caller, resourceId, sid));
    }
    if (resourceIds.expired(claims)) {
      throw new io.capstan.gateway.resource.ResourceIdException(
          io.capstan.gateway.resource.ResourceIdException.Kind.EXPIRED);
    }
    StartRequest request = mapper.map(body, mode, new StartContext(appId, resourceId, claims.scene(), sid));
    unknownFields.seen("start", request.unknownFields());
    checks.check(request.spec());
    forgetOld();
    if (pending.putIfAbsent(sid, new Pending(request.spec(), clock.millis())) != null) {
      throw new Refusal(201, 7, "already started", ResponseMapper.ids(caller, resourceId, sid));
    }
    try {
      Optional<String> conflict = runningWith(caller, sid);
      if (conflict.isPresent()) {
        throw new Refusal(400, 53, "task conflict: a recording of cname '" + caller.cname() + "' by uid "
            + caller.uid() + " is already running (sid " + conflict.get() + ")");
      }
      commands.send(command(sid, StartCommand.newBuilder().setSpec(request.spec()).build()));
    } catch (RuntimeException e) {
      pending.remove(sid);
      throw e;
    }
    log.info("started sid {} ({} mode, cname '{}', recorder uid {})", sid, mode, caller.cname(), caller.uid());
    Answer started = Answer.ok(ResponseMapper.ids(caller, resourceId, sid));
    if (startWait.isZero()) {
      return CompletableFuture.completedFuture(started);
    }
    return jobs.await(() -> taken(sid, started), startWait).thenApply(answer -> answer.orElse(started));
  }

  /** Ingest took the recording: {@code started}; it refused it: the refusal's answer; not yet: empty. */
  private Optional<Answer> taken(String sid, Answer started) {
    Optional<JobStatus> status = jobs.status(sid);
    if (status.isPresent() && Job.ended(status.get())) {
      // Refused, or taken and already over (a short FAST job): only a refusal changes the answer.
      return Optional.of(refused(status.get()) ? refusalOf(sid, status.get()) : started);
    }
    boolean running = jobs.spec(sid).filter(JobSpec::getRunning).isPresent()
        || status.filter(s -> s.getStatus() >= Job.RECORDING).isPresent();
    return running ? Optional.of(started) : Optional.empty();
  }

  private static boolean refused(JobStatus status) {
    return status.getExitStatus() == ExitStatus.REFUSED || status.getExitStatus() == ExitStatus.NO_CAPACITY;
  }

  /** The answer for a start ingest refused before the caller heard back: why, as ingest said it. */
  private Answer refusalOf(String sid, JobStatus status) {
    pending.remove(sid);
    String why = status.getFirstError() == null ? "refused by ingest (exitStatus " + status.getExitStatus() + ")"
        : status.getFirstError();
    log.info("sid {} was refused after its command was sent: {}", sid, why);
    return status.getExitStatus() == ExitStatus.NO_CAPACITY ? new Refusal(503, 503, why).answer()
        : new Refusal(400, 2, why).answer();
  }

  public Answer query(String appId, String resourceId, String sid, String mode) {
    RecordingMode recordingMode = Modes.parse(mode);
    ResourceIds.Claims claims = resourceIds.verify(resourceId);
    Job job = find(resourceId, sid, recordingMode, true);
    resourceIds.requireWithinHours(claims, startedUtcMs(job));
    return Answer.ok(ResponseMapper.query(new Caller(job.channel(), job.recorderUid()), resourceId, sid, job.status(),
        job.spec()));
  }

  public Answer update(String appId, String resourceId, String sid, String mode, JsonNode body) {
    RecordingMode recordingMode = Modes.parse(mode);
    Caller caller = Caller.of(body);
    ResourceIds.Claims claims = resourceIds.verifyFor(resourceId, caller.cname(), caller.uid());
    Job job = find(resourceId, sid, recordingMode);
    resourceIds.requireWithinHours(claims, startedUtcMs(job));
    Subscriptions current = job.spec() == null ? null : job.spec().getSubscriptions();
    RequestMapper.Update update = RequestMapper.update(body, recordingMode, current);
    unknownFields.seen("update", update.unknownFields());
    refuseWhileExiting(job);
    commands.send(command(sid, update.command()));
    log.info("updated sid {}", sid);
    return Answer.ok(ResponseMapper.ids(caller, resourceId, sid));
  }

  public Answer updateLayout(String appId, String resourceId, String sid, String mode, JsonNode body) {
    RecordingMode recordingMode = Modes.parse(mode);
    if (recordingMode != RecordingMode.COMPOSITE) {
      throw new InvalidRequestException("mode", "updateLayout is for mix mode only");
    }
    Caller caller = Caller.of(body);
    ResourceIds.Claims claims = resourceIds.verifyFor(resourceId, caller.cname(), caller.uid());
    Job job = find(resourceId, sid, recordingMode);
    resourceIds.requireWithinHours(claims, startedUtcMs(job));
    RequestMapper.UpdateLayout update = RequestMapper.updateLayout(body);
    unknownFields.seen("updateLayout", update.unknownFields());
    checks.checkLayout(update.command().getLayout());
    refuseWhileExiting(job);
    commands.send(command(sid, update.command()));
    log.info("updated the layout of sid {}", sid);
    return Answer.ok(ResponseMapper.ids(caller, resourceId, sid));
  }

  /**
   * Writes the Stop command, then answers at once ({@code async_stop: true}) or once the status
   * says the uploads are done or the recording exited, within the stop wait.
   */
  public CompletableFuture<Answer> stop(String appId, String resourceId, String sid, String mode, JsonNode body) {
    RecordingMode recordingMode = Modes.parse(mode);
    Caller caller = Caller.of(body);
    ResourceIds.Claims claims = resourceIds.verifyFor(resourceId, caller.cname(), caller.uid());
    Job job = find(resourceId, sid, recordingMode);
    resourceIds.requireWithinHours(claims, startedUtcMs(job));
    RequestMapper.Stop stop = RequestMapper.stop(body);
    unknownFields.seen("stop", stop.unknownFields());
    refuseWhileExiting(job);
    if (stopping.putIfAbsent(sid, clock.millis()) != null) {
      throw stoppingRefusal();
    }
    try {
      commands.send(command(sid, StopCommand.newBuilder().setAsync(stop.asyncStop()).build()));
    } catch (RuntimeException e) {
      stopping.remove(sid);
      throw e;
    }
    log.info("stopping sid {}{}", sid, stop.asyncStop() ? " (async)" : "");
    if (stop.asyncStop()) {
      return CompletableFuture.completedFuture(stopAnswer(caller, resourceId, sid, job.status(), job.spec(), false));
    }
    return jobs.awaitStatus(sid, Job::finished, stopWait)
        .thenApply(status -> stopAnswer(caller, resourceId, sid, status.orElse(job.status()), job.spec(), true));
  }

  /**
   * The stop answer. A synchronous stop whose files are not all in the caller's store when it answers
   * (the stop wait ran out, or some went to the backup store: {@code uploadingStatus} other than
   * {@code uploaded}) is 206, as the hosted product answers; an asynchronous one promised nothing.
   */
  private Answer stopAnswer(Caller caller, String resourceId, String sid, JobStatus status, JobSpec spec,
                            boolean waited) {
    ObjectNode answer = ResponseMapper.stop(caller, resourceId, sid, status, spec);
    if (!ResponseMapper.hasMedia(status, spec)) {
      answer.put("code", 435);
      answer.put("reason", "no recorded data: the recording never received any media");
      return new Answer(206, answer);
    }
    if (waited && !"uploaded".equals(status.getUploadingStatus())) {
      return new Answer(206, answer);
    }
    return Answer.ok(answer);
  }

  /** When the job started (0 while not known): where acquire's resourceExpiredHour counts from. */
  private static long startedUtcMs(Job job) {
    return job.spec() == null ? 0 : job.spec().getStartedUtcMs();
  }

  private static RecordingCommand command(String sid, Object action) {
    return RecordingCommand.newBuilder().setJobId(sid).setCommandId(UUID.randomUUID().toString())
        .setIssuedUtcMs(System.currentTimeMillis()).setAction(action).build();
  }

  private boolean known(String sid) {
    return pending.containsKey(sid) || jobs.spec(sid).isPresent() || jobs.status(sid).isPresent();
  }

  /** The running recording of the same cname and recorder uid, other than {@code sid}. */
  private Optional<String> runningWith(Caller caller, String sid) {
    return Stream.of(pending.keySet().stream(), jobs.specs().stream().map(JobSpec::getJobId),
            jobs.statuses().stream().map(JobStatus::getJobId))
        .flatMap(s -> s)
        .filter(other -> !other.equals(sid))
        .distinct()
        .map(this::job)
        .flatMap(Optional::stream)
        .filter(j -> !j.ended() && !(j.spec() != null && !j.spec().getRunning()))
        .filter(j -> caller.cname().equals(j.channel()) && caller.uid().equals(j.recorderUid()))
        .map(Job::sid)
        .findFirst();
  }

  private Optional<Job> job(String sid) {
    JobStatus status = jobs.status(sid).orElse(null);
    JobSpec spec = jobs.spec(sid).orElseGet(() -> {
      Pending p = pending.get(sid);
      return p == null ? null : p.spec();
    });
    if (status == null && spec == null) {
      return Optional.empty();
    }
    return Optional.of(new Job(sid, spec, status, stopping.containsKey(sid)));
  }

  /** The job of this sid, started with this resourceId in this mode and not over; else 404. */
  private Job find(String resourceId, String sid, RecordingMode mode) {
    return find(resourceId, sid, mode, false);
  }

  /**
   * As {@link #find(String, String, RecordingMode)}; with {@code abnormalExit}, also a recording that
   * exited abnormally, so a query tells the caller (status 20) rather than 404.
   */
  private Job find(String resourceId, String sid, RecordingMode mode, boolean abnormalExit) {
    if (!Sids.valid(sid)) {
      throw Refusal.notFound();
    }
    Job job = job(sid).orElseThrow(Refusal::notFound);
    boolean visible = !job.ended() || abnormalExit && job.exitedAbnormally();
    if (job.resourceId() != null && !Objects.equals(job.resourceId(), resourceId) || job.mode() != mode
        || !visible) {
      throw Refusal.notFound();
    }
    return job;
  }

  private static void refuseWhileExiting(Job job) {
    if (job.exiting()) {
      throw stoppingRefusal();
    }
  }

  private static Refusal stoppingRefusal() {
    return new Refusal(400, 49, "invalid operation: the recording is already stopping");
  }

  private void forgetOld() {
    long oldest = clock.millis() - PENDING_TTL.toMillis();
    pending.values().removeIf(p -> p.sentMs() < oldest);
    stopping.values().removeIf(t -> t < oldest);
  }
}
