package io.capstan.ingest.job;

import io.capstan.ingest.publish.JobFrames;
import io.capstan.ingest.publish.UidFrames;
import io.capstan.ingest.source.SourceReader;
import io.capstan.ingest.source.StreamSpec;
import io.capstan.ingest.stored.StoredPlayback;
import io.capstan.ingest.timeline.JobTimeline;
import io.capstan.ingest.web.WebJob;
import io.capstan.runtime.events.Events;
import io.capstan.runtime.spec.JobSpecValidator;
import io.capstan.schemas.AudioStreamStateChanged;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecorderLeave;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Source;
import io.capstan.schemas.StatusUpdate;
import io.capstan.schemas.StreamAnnouncement;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.UpdateCommand;
import io.capstan.schemas.VideoStreamStateChanged;
import io.capstan.schemas.WebRecording;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running job on this instance: its spec, timeline, readers (one per uid) and output. It ends
 * on Stop, after maxIdleTime without an active source, or (FAST) when all its sources have ended.
 * When its partition moves to another instance it is not ended: a live job records on up to the
 * point where the next owner starts writing it ({@link #handOff}), any other stops at once.
 */
public final class Job implements SourceReader.Listener, UidFrames.StateListener {

  private static final Logger log = LoggerFactory.getLogger(Job.class);
  /** Status of the reference's status update event: stop requested. */
  static final int STATUS_STOPPING = 6;

  private final JobContext ctx;
  private final int partition;
  private final JobTimeline timeline;
  private final JobFrames frames;
  private final Map<String, SourceReader> readers = new ConcurrentHashMap<>();
  /** Directory uids whose file-like stream was played, by the announcement's time: a file plays once. */
  private final Map<String, Long> played = new HashMap<>();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final Consumer<Job> onFinished;
  /** The page of a web job (mode WEB), which is then its only source; null otherwise. */
  private final WebJob web;
  private volatile JobSpec spec;
  private volatile SubscriptionFilter filter;
  private volatile long lastActiveNanos = System.nanoTime();
  /** Post-processing: the stored recording being played instead of readers. */
  private volatile StoredPlayback playback;
  private volatile boolean restored;
  /** Where this instance stops writing the job, its partition gone to another; Long.MAX_VALUE: not handing over. */
  private volatile long handOffUs = Long.MAX_VALUE;
  /** A handing-over job stops its readers this long after the point: its media before it is all out by then. */
  static final long HANDOFF_TAIL_US = 1_000_000;

  public Job(JobSpec spec, int partition, JobContext ctx, Consumer<Job> onFinished) {
    this.spec = spec;
    this.partition = partition;
    this.ctx = ctx;
    this.onFinished = onFinished;
    this.filter = new SubscriptionFilter(spec.getSubscriptions());
    boolean isWeb = spec.getMode() == RecordingMode.WEB;
    // A web job's timeline is its recorded time (holds left out): it follows the published media, like FAST.
    this.timeline = new JobTimeline(spec.getStartedUtcMs(), spec.getPacing() == Pacing.FAST || isWeb);
    this.frames = new JobFrames(ctx.frames(), spec.getJobId(), timeline);
    this.web = isWeb ? new WebJob(ctx, frames, this::spec, this::end, ctx.web()) : null;
  }

  public String jobId() {
    return spec.getJobId();
  }

  public int partition() {
    return partition;
  }

  public JobSpec spec() {
    return spec;
  }

  /** Opens the job's streams; a restored job first tells downstream that its input was interrupted. */
  public void open(boolean restored) throws InterruptedException {
    open(restored, Long.MIN_VALUE);
  }

  /**
   * Opens the job's streams. A job resumed from {@code fromUs} (the point where its previous owner
   * stops writing it, still ahead) reads its sources at once but writes its uids' media only from
   * there: nothing is interrupted, so nothing says so downstream. Otherwise a restored job first
   * tells downstream that its input was interrupted.
   */
  public void open(boolean restored, long fromUs) throws InterruptedException {
    this.restored = restored;
    if (restored && fromUs > frames.positionUs()) {
      frames.writeFrom(fromUs);
      log.info("job {}: writing its media from {} ms of its timeline, where the previous owner stops", jobId(),
          fromUs / 1000);
    } else if (restored) {
      frames.discontinuity("ingest resumed the job after a handover");
      if (spec.getMode() == RecordingMode.INDIVIDUAL) {
        frames.packetDiscontinuity("ingest resumed the job after a handover");
      }
    }
    if (web != null) {
      web.open(restored);
      return;
    }
    if (spec.getPostProcessing() != null) {
      playback = new StoredPlayback(spec, ctx.storedSources(), ctx, frames, this,
          () -> ctx.control().execute(() -> end(LeaveCode.SOURCES_ENDED)));
      playback.start();
      return;
    }
    if (spec.getSources().isEmpty()) {
      followDirectory();
      return;
    }
    List<SourceReader> created = new ArrayList<>();
    List<Source> sources = spec.getSources();
    for (int i = 0; i < sources.size(); i++) {
      Source source = sources.get(i);
      reader(source.getUid(), i + 1, source.getUrl(), source.getLowUrl(), source.getAudio(), source.getVideo())
          .ifPresent(created::add);
    }
    // Every reader is registered before any starts, so a FAST job cannot think its last source ended early.
    created.forEach(SourceReader::start);
    if (readers.isEmpty() && timeline.fast()) {
      ctx.control().execute(() -> end(LeaveCode.SOURCES_ENDED));
    }
  }

  /** True when this instance resumed the job from capstan.jobs rather than starting it. */
  public boolean restored() {
    return restored;
  }

  /** Stop command: the full end sequence with leaveCode 16. */
  public void stop() {
    end(LeaveCode.CLIENT_LEAVE);
  }

  /**
   * Ends the job (once): readers stop and leave, EndOfJob closes the timeline, then the events
   * status 6 and recorder_leave, then the spec is stored with running=false.
   */
  public void end(int leaveCode) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    try {
      if (playback != null) {
        playback.stop(ctx.stopTimeout());
      }
      if (web != null) {
        web.finish();
      }
      stopReaders(true);
      long end = frames.endOfJob(0);
      ctx.event(spec, StatusUpdate.newBuilder().setStatus(STATUS_STOPPING).build());
      ctx.event(spec, new RecorderLeave(leaveCode));
      ctx.writeSpec(JobSpec.newBuilder(spec).setRunning(false).build());
      log.info("job {} ended at {} ms of its timeline (leaveCode {})", jobId(), end / 1000, leaveCode);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("job {} did not end cleanly", jobId(), e);
    } finally {
      onFinished.accept(this);
    }
  }

  /**
   * True when the job can go on recording for a moment after its partition left, up to a point
   * where the next owner takes over: a live job read at the wall clock's pace, whose media at a
   * timeline point is the same whichever instance reads it. Web pages (a new browser starts from
   * its own load) and FAST or stored playback (paced by their own reading) move at once.
   */
  public boolean canHandOff() {
    return !finished.get() && web == null && playback == null && !timeline.fast() && handOffUs == Long.MAX_VALUE;
  }

  /** The point {@code leadUs} ahead of the job's position: where a handover starting now would be. */
  public long handOffPoint(long leadUs) {
    return frames.positionUs() + leadUs;
  }

  /**
   * The partition moved: keep recording up to {@code untilUs}, where the next owner (told in the
   * partition's last commit) starts writing, then let go ({@link #housekeeping}).
   */
  public void handOff(long untilUs) {
    frames.writeUntil(untilUs);
    handOffUs = untilUs;
    log.info("job {}: handing over at {} ms of its timeline", jobId(), untilUs / 1000);
  }

  /** Where this instance stops writing the job, or Long.MAX_VALUE while it is not handing it over. */
  public long handOffUs() {
    return handOffUs;
  }

  /** The partition moved to another instance, which resumes the job: stop without ending it. */
  public void abandon() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    try {
      if (playback != null) {
        playback.stop(ctx.stopTimeout());
      }
      if (web != null) {
        web.abandon();
      }
      stopReaders(false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      frames.seal();
      onFinished.accept(this);
      log.info("job {} handed over", jobId());
    }
  }

  /** Applies an Update; @return the problem when the updated spec is invalid (nothing changes then). */
  public Optional<String> update(UpdateCommand update) throws InterruptedException {
    JobSpec.Builder next = JobSpec.newBuilder(spec).setGeneration(spec.getGeneration() + 1);
    if (update.getSubscriptions() != null) {
      next.setSubscriptions(update.getSubscriptions());
    }
    if (update.getStorage() != null) {
      next.setStorage(update.getStorage());
    }
    if (update.getOnhold() != null) {
      if (web == null) {
        return Optional.of("onhold: only a web recording can be put on hold");
      }
      next.setWeb(WebRecording.newBuilder(spec.getWeb()).setOnhold(update.getOnhold()).build());
    }
    JobSpec updated = next.build();
    Optional<JobSpecValidator.Problem> problem = ctx.validator().problem(updated);
    if (problem.isPresent()) {
      return problem.map(JobSpecValidator.Problem::toString);
    }
    ctx.writeSpec(updated);
    spec = updated;
    filter = new SubscriptionFilter(updated.getSubscriptions());
    frames.specChange(updated.getGeneration());
    if (web != null) {
      web.onhold(updated.getWeb().getOnhold());
      return Optional.empty();
    }
    reconcileExplicitSources();
    return Optional.empty();
  }

  public void updateLayout(Layout layout) throws InterruptedException {
    Transcoding transcoding = spec.getTranscoding() == null
        ? Transcoding.newBuilder().setLayout(layout).build()
        : Transcoding.newBuilder(spec.getTranscoding()).setLayout(layout).build();
    JobSpec updated = JobSpec.newBuilder(spec).setTranscoding(transcoding).setGeneration(spec.getGeneration() + 1)
        .build();
    ctx.writeSpec(updated);
    spec = updated;
    frames.layoutChange(updated.getGeneration(), layout);
  }

  /** Watermark heartbeats; called by the service's ticker. */
  public void tick(long heartbeatNanos) {
    frames.tick(heartbeatNanos);
  }

  /** Idle watch and channel directory; called about twice a second. */
  public void housekeeping() {
    if (finished.get() || playback != null) {
      return;
    }
    if (handOffUs != Long.MAX_VALUE) {
      // No longer this instance's to end: it records up to the point (a uid joining meanwhile too,
      // its start is this instance's to write), then lets go.
      if (frames.positionUs() >= handOffUs + HANDOFF_TAIL_US) {
        ctx.control().execute(this::abandon);
      } else if (spec.getSources().isEmpty()) {
        followDirectory();
      }
      return;
    }
    if (web != null) {
      web.housekeeping();
      return;
    }
    long now = System.nanoTime();
    if (readers.values().stream().anyMatch(SourceReader::connected)) {
      lastActiveNanos = now;
    } else if (now - lastActiveNanos >= TimeUnit.SECONDS.toNanos(spec.getMaxIdleTimeSeconds())) {
      log.info("job {}: no active source for {} s", jobId(), spec.getMaxIdleTimeSeconds());
      ctx.control().execute(() -> end(LeaveCode.NO_USERS));
      return;
    }
    if (spec.getSources().isEmpty()) {
      followDirectory();
    }
  }

  @Override
  public void problem(String uid, String message) {
    ctx.event(spec, Events.warning(JobContext.MODULE, 1, message));
  }

  @Override
  public void ended(String uid) {
    readers.remove(uid);
    if (timeline.fast() && readers.isEmpty() && !finished.get()) {
      // Not on the reader's own thread: ending joins the readers.
      ctx.control().execute(() -> end(LeaveCode.SOURCES_ENDED));
    }
  }

  @Override
  public void stateChanged(String uid, MediaKind kind, boolean receiving, long utcMs) {
    int state = receiving ? 0 : 1;
    ctx.event(spec, kind == MediaKind.AUDIO ? new AudioStreamStateChanged(uid, state, utcMs)
        : new VideoStreamStateChanged(uid, state, utcMs));
  }

  /**
   * Opens (registers, not starts) a reader for a uid the job records; empty when it records none of it.
   *
   * @param joinOrder the uid's place in the join order: the directory's join time, or 1 + the source's index
   */
  private Optional<SourceReader> reader(String uid, long joinOrder, String url, String lowUrl, boolean audio,
                                        boolean video) {
    if (finished.get() || readers.containsKey(uid) || !filter.wantsAny(uid)) {
      return Optional.empty();
    }
    StreamSpec stream;
    try {
      stream = JobStreams.of(spec, uid, url, lowUrl, audio, video);
      if (!spec.getSources().isEmpty() && spec.getPostProcessing() == null) {
        // Named by the caller, not by the operator's media servers: its address is checked at every connection.
        stream = stream.checkedBy(ctx.validator().sources());
      }
    } catch (IllegalArgumentException e) {
      problem(uid, "uid " + uid + ": url " + e.getMessage());
      return Optional.empty();
    }
    if (!stream.audio() && !stream.video()) {
      return Optional.empty();
    }
    UidFrames out = frames.open(uid, joinOrder, ctx.maxInFlight(), this);
    SourceReader reader = new SourceReader(stream, ctx.opener(), out, timeline, (u, k) -> filter.wants(u, k), this,
        ctx.maxBackoff(), ctx.lateSkip());
    readers.put(uid, reader);
    return Optional.of(reader);
  }

  /** After an Update: open the uids now subscribed, let go of those no longer recorded at all. */
  private void reconcileExplicitSources() {
    List<Source> sources = spec.getSources();
    for (int i = 0; i < sources.size(); i++) {
      Source source = sources.get(i);
      reader(source.getUid(), i + 1, source.getUrl(), source.getLowUrl(), source.getAudio(), source.getVideo())
          .ifPresent(SourceReader::start);
    }
    readers.values().stream().filter(r -> !filter.wantsAny(r.uid())).forEach(r -> r.stop(true));
  }

  /** Follows the channel directory: joins open readers, leaves (tombstones) stop them. */
  private synchronized void followDirectory() {
    Map<String, StreamAnnouncement> members = ctx.directory().members(spec.getChannel());
    for (SourceReader reader : readers.values()) {
      StreamAnnouncement now = members.get(reader.uid());
      if (now == null || !filter.wantsAny(reader.uid())) {
        reader.stop(true);
      } else if (!reader.stream().url().url().equals(now.getUrl())
          && !reader.stream().url().url().equals(now.getLowUrl())) {
        // The uid publishes somewhere else now (a WHIP publisher that reconnected): read the new stream.
        reader.stop(true);
      }
    }
    played.keySet().removeIf(uid -> !members.containsKey(uid));
    members.forEach((uid, a) -> {
      Long playedAt = played.get(uid);
      if (playedAt != null && playedAt == a.getUpdatedUtcMs()) {
        return;
      }
      long joinOrder = Math.max(1, a.getUpdatedUtcMs());
      reader(uid, joinOrder, a.getUrl(), a.getLowUrl(), a.getAudio(), a.getVideo()).ifPresent(r -> {
        if (r.stream().url().fileLike()) {
          played.put(uid, a.getUpdatedUtcMs());
        }
        r.start();
      });
    });
  }

  private void stopReaders(boolean announceLeave) throws InterruptedException {
    List<SourceReader> all = List.copyOf(readers.values());
    all.forEach(r -> r.stop(announceLeave));
    for (SourceReader reader : all) {
      if (!reader.await(ctx.stopTimeout())) {
        log.warn("job {}: uid '{}' did not stop within {}", jobId(), reader.uid(), ctx.stopTimeout());
      }
    }
  }
}
