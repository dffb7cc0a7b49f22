package io.capstan.uploader.delivery;

import io.capstan.runtime.events.Events;
import io.capstan.runtime.events.ExitStatus;
import io.capstan.runtime.kafka.OffsetCommits;
import io.capstan.runtime.kafka.Resends;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.Backuped;
import io.capstan.schemas.FileChunk;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.FileInfo;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.StopCommand;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Uploaded;
import io.capstan.schemas.UploaderStarted;
import io.capstan.schemas.UploadingProgress;
import io.capstan.uploader.backup.BackupCopier;
import io.capstan.uploader.backup.JobRoute;
import io.capstan.uploader.path.FileLists;
import io.capstan.uploader.post.PostProcessingStarter;
import io.capstan.storage.path.InvalidPathException;
import io.capstan.storage.path.ObjectPaths;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uploader's loop over capstan.files, its durable spool. Chunks are written in partition order
 * (so in job order: a playlist only after the slices it names) by a bounded pool of writers, one
 * partition at a time each, so a slow or failing store holds back only the jobs of its partition;
 * the polling thread pauses a partition while its records are being written and alone talks to
 * the consumer. A partition's offset is committed only after the store acknowledged the files
 * before it (see {@link OpenFiles}) and the events they caused were sent. A failing store pauses
 * only the failing partition: the chunk is tried again after a backoff, and nothing behind it
 * moves meanwhile. With a backup store, a job whose primary has failed for longer than the
 * threshold writes to the backup instead, from the first chunk of the file at hand. A permanent
 * failure (the user's storage settings) is reported once per job as an error event, as early as
 * the job's spec is seen, and its chunks are skipped.
 */
public final class FileDelivery implements Runnable, AutoCloseable {

  static final String MODULE = "uploader";
  private static final Logger log = LoggerFactory.getLogger(FileDelivery.class);
  private static final long CHECK_EVERY_MS = 500;

  private final KafkaConsumer<String, FileChunk> consumer;
  private final Producer<String, SpecificRecord> producer;
  private final TopicView<JobSpec> jobs;
  private final StoreFactory stores;
  private final Backoff backoff;
  private final Duration jobWait;
  private final BackupCopier backup;
  private final JobChecks checks;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, JobUploads> uploads = new ConcurrentHashMap<>();
  private final Map<String, StorageConfig> checked = new ConcurrentHashMap<>();
  private final OpenFiles openFiles = new OpenFiles();
  private volatile PostProcessingStarter postProcessing;
  private final ExecutorService writers;
  private final ProgressReports progress;
  /** Written batches, handed back to the polling thread. */
  private final BlockingQueue<Written> written = new LinkedBlockingQueue<>();
  /** Partitions whose records a writer has (polling thread only). */
  private final Map<TopicPartition, Future<?>> writing = new HashMap<>();
  private final Map<TopicPartition, Long> retryAtMs = new HashMap<>();
  private final Map<TopicPartition, Integer> attempts = new ConcurrentHashMap<>();
  private int filePartitions;
  private long lastCheckMs;
  private volatile boolean polling;

  /** DONE: go on; RETRY: the same record after a backoff; SEEK: read again from {@code seekTo} at once. */
  private record Outcome(int kind, long seekTo) {
    static final Outcome DONE = new Outcome(0, -1);
    static final Outcome RETRY = new Outcome(1, -1);

    static Outcome seek(long offset) {
      return new Outcome(2, offset);
    }
  }

  /**
   * A partition's batch, written as far as it went: commit up to {@code next} (-1: nothing new),
   * then go on ({@code outcome} DONE), read again from {@code outcome.seekTo}, or try the record at
   * {@code retryOffset} again after {@code waitMs}.
   */
  private record Written(TopicPartition tp, long next, Outcome outcome, long retryOffset, long waitMs) {
  }

  /**
   * @param backup    the backup store, or null: none
   * @param writers   how many partitions (so jobs) are written to storage at once
   * @param progress  how often a live recording's uploading_progress is sent
   */
  public FileDelivery(KafkaConsumer<String, FileChunk> consumer, Producer<String, SpecificRecord> producer,
                      TopicView<JobSpec> jobs, StoreFactory stores, Backoff backoff, Duration jobWait,
                      BackupCopier backup, int writers, Duration progress) {
    this.consumer = consumer;
    this.producer = producer;
    this.jobs = jobs;
    this.stores = stores;
    this.backoff = backoff;
    this.jobWait = jobWait;
    this.backup = backup;
    this.checks = new JobChecks(stores);
    this.progress = new ProgressReports(progress, producer);
    AtomicInteger threads = new AtomicInteger();
    this.writers = Executors.newFixedThreadPool(writers, r -> {
      Thread t = new Thread(r, "uploader-writer-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts a recording's post-processing once its files are uploaded (JobSpec.afterRecording). */
  public void postProcessing(PostProcessingStarter starter) {
    this.postProcessing = starter;
  }

  public boolean polling() {
    return polling;
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(Topics.FILES.name()), new Rebalance());
    try {
      while (running.get()) {
        // Short polls while writers are busy: a written batch is settled (committed, its partition
        // resumed) within a few tens of milliseconds; a partition waiting to retry is looked at every
        // 200 ms; with nothing to do the poll waits for records (an idle server sleeps).
        ConsumerRecords<String, FileChunk> records;
        try {
          long waitMs = !writing.isEmpty() ? 20 : consumer.paused().isEmpty() ? 1000 : 200;
          records = consumer.poll(Duration.ofMillis(waitMs));
        } catch (RecordDeserializationException e) {
          log.warn("skipping an unreadable file chunk at {} offset {}", e.topicPartition(), e.offset());
          consumer.seek(e.topicPartition(), e.offset() + 1);
          continue;
        }
        polling = true;
        for (TopicPartition tp : records.partitions()) {
          List<ConsumerRecord<String, FileChunk>> batch = records.records(tp);
          consumer.pause(List.of(tp));
          writing.put(tp, writers.submit(() -> {
            try {
              written.add(write(tp, batch));
            } catch (Error e) {
              // The partition must not stay paused for ever: it is read again after a pause.
              written.add(new Written(tp, -1, Outcome.RETRY, batch.get(0).offset(), backoff.delay(0).toMillis()));
              throw e;
            }
          }));
        }
        settle();
        resumeDue();
        checkNewJobs();
        progress.report(System.currentTimeMillis(), uploads, jobs);
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      writers.shutdown();
      try {
        // What is being written finishes, and its offsets are committed: the next owner starts after it.
        if (writers.awaitTermination(30, TimeUnit.SECONDS)) {
          settle();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (KafkaException e) {
        log.warn("the last written offsets could not be committed ({}); their files are written again",
            e.getMessage());
      }
      uploads.values().forEach(JobUploads::close);
      consumer.close();
    }
  }

  /** A writer's task: the partition's records in order, until one must wait or the partition must be read again. */
  private Written write(TopicPartition tp, List<ConsumerRecord<String, FileChunk>> batch) {
    long next = -1;
    for (ConsumerRecord<String, FileChunk> record : batch) {
      Outcome outcome;
      try {
        outcome = deliver(tp, record);
      } catch (RuntimeException e) {
        log.error("job {}: writing its file failed unexpectedly; it is tried again", record.key(), e);
        outcome = Outcome.RETRY;
      }
      if (outcome == Outcome.RETRY) {
        int attempt = attempts.merge(tp, 1, Integer::sum) - 1;
        Duration wait = backoff.delay(attempt);
        log.warn("storage write failed for job {} (attempt {}); retrying in {} ms", record.key(), attempt + 1,
            wait.toMillis());
        return new Written(tp, next, outcome, record.offset(), wait.toMillis());
      }
      if (outcome.kind() == 2) {
        return new Written(tp, next, outcome, -1, 0);
      }
      attempts.remove(tp);
      next = record.offset() + 1;
    }
    return new Written(tp, next, Outcome.DONE, -1, 0);
  }

  /** Commits what the writers finished and lets their partitions go on (polling thread). */
  private void settle() {
    List<Written> batches = new ArrayList<>();
    written.drainTo(batches);
    if (batches.isEmpty()) {
      return;
    }
    Set<TopicPartition> assigned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    for (Written w : batches) {
      TopicPartition tp = w.tp();
      writing.remove(tp);
      if (!assigned.contains(tp)) {
        continue; // revoked meanwhile; its next owner reads it again from the committed offset
      }
      if (w.next() >= 0) {
        done.put(tp, new OffsetAndMetadata(openFiles.commitOffset(tp, w.next())));
      }
      if (w.outcome() == Outcome.RETRY) {
        consumer.seek(tp, w.retryOffset());
        retryAtMs.put(tp, System.currentTimeMillis() + w.waitMs()); // stays paused until then
      } else {
        if (w.outcome().kind() == 2) {
          consumer.seek(tp, w.outcome().seekTo());
        }
        consumer.resume(List.of(tp));
      }
    }
    if (!done.isEmpty()) {
      producer.flush(); // events of these chunks are out before their offsets move
      try {
        // Not committed (broker away, rebalance): the next commit covers them, or a new owner writes them again.
        OffsetCommits.commit(consumer, done, log);
      } catch (WakeupException e) {
        // close() woke the consumer while it committed: the files are stored, so their offsets are
        // still committed (the wakeup is spent) before the loop ends.
        consumer.commitSync(done);
        throw e;
      }
    }
  }

  private Outcome deliver(TopicPartition tp, ConsumerRecord<String, FileChunk> record) {
    FileChunk chunk = record.value();
    if (chunk == null) {
      return Outcome.DONE;
    }
    String jobId = chunk.getJobId();
    Optional<JobSpec> found = jobs.current(jobId, jobWait);
    if (found.isEmpty()) {
      log.warn("job {}: no job spec within {}; file skipped", jobId, jobWait);
      Events.sendUntilWritten(producer, Events.of(jobId, "", "", Events.error(MODULE, UploadErrors.NO_JOB,
          "no job spec for job " + jobId + "; a file was not uploaded")));
      return Outcome.DONE;
    }
    JobSpec spec = found.get();
    JobUploads job = job(jobId);
    if (chunk.getKind() == FileKind.END_OF_FILES) {
      finish(spec, job);
      uploads.remove(jobId).close();
      return Outcome.DONE;
    }
    StorageConfig storage = spec.getStorage();
    ensureChecked(spec, job);
    if (job.failed(storage)) {
      openFiles.close(tp, jobId, chunk.getFileName());
      return Outcome.DONE;
    }
    OpenFiles.Open file = openFiles.get(tp, jobId, chunk.getFileName());
    if (chunk.getOffset() > 0 && file == null) {
      return Outcome.DONE; // stored whole before a restart or a rewind (see OpenFiles)
    }
    String key;
    try {
      key = ObjectPaths.key(storage == null ? List.of() : storage.getFileNamePrefix(), chunk.getFileName());
    } catch (InvalidPathException e) {
      return permanentFailure(spec, job, UploadErrors.PATH, "storage: " + e.getMessage());
    }
    if (chunk.getOffset() == 0) {
      file = new OpenFiles.Open(jobId, chunk.getFileName(), key, record.offset(), useBackup(job));
      openFiles.open(tp, file);
      if (file.backup()) {
        warn(spec, job, UploadWarnings.TO_BACKUP, file, "the storage has failed for over " + backup.after()
            + "; the file goes to the backup store and is copied to the storage when it is back");
      }
    }
    try {
      if (file.backup()) {
        backup.put(jobId, key, chunk.getData(), chunk.getOffset(), chunk.getLast());
      } else {
        primary(job, storage).put(key, chunk.getData(), chunk.getOffset(), chunk.getLast());
        if (job.route() != null) {
          job.route().primaryOk();
        }
      }
    } catch (InvalidPathException e) {
      openFiles.close(tp, jobId, chunk.getFileName());
      return permanentFailure(spec, job, UploadErrors.PATH, "storage: " + e.getMessage());
    } catch (StoreException e) {
      if (file.backup()) {
        log.warn("job {}: the backup store failed: {}", jobId, e.getMessage());
        return Outcome.RETRY;
      }
      if (e.permanent()) {
        openFiles.close(tp, jobId, chunk.getFileName());
        return permanentFailure(spec, job, UploadErrors.STORAGE, e.getMessage());
      }
      // StoreException's text is vetted (no keys): what failed goes beside the retry's warning
      log.warn("job {}: the primary store failed: {}", jobId, e.getMessage());
      return primaryDown(tp, spec, job, file);
    } catch (RuntimeException e) {
      // Not a StoreException: its text was not vetted, so only its class goes to the warning.
      log.warn("job {}: unexpected storage failure ({})", jobId, e.getClass().getName());
      log.debug("job {}: unexpected storage failure", jobId, e);
      return file.backup() ? Outcome.RETRY : primaryDown(tp, spec, job, file);
    }
    if (chunk.getLast()) {
      openFiles.close(tp, jobId, chunk.getFileName());
      boolean newPlaylist = job.stored(chunk, spec.getPostProcessing() != null);
      if (file.backup()) {
        backup.stored(spec, key);
      }
      if (newPlaylist) {
        // cloud_recording_file_infos (4): the playlist, as soon as it is first stored, and the files so far.
        Events.sendUntilWritten(producer, Events.once(spec, "file_info:" + chunk.getFileName(),
            FileInfo.newBuilder().setFileList(job.fileList()).setPlaylist(chunk.getFileName()).build()));
      }
    }
    if (!job.started()) {
      job.markStarted();
      Events.sendUntilWritten(producer, Events.once(spec, "uploader_started", UploaderStarted.newBuilder().setStatus(0).build()));
    }
    return Outcome.DONE;
  }

  /** The primary failed transiently: retry later, or switch the file to the backup when it has failed long enough. */
  private Outcome primaryDown(TopicPartition tp, JobSpec spec, JobUploads job, OpenFiles.Open file) {
    JobRoute route = job.route();
    if (route == null) {
      return retry(spec, job, file);
    }
    long now = System.currentTimeMillis();
    route.primaryFailed(now);
    if (!route.toBackup(now, backup.after())) {
      return retry(spec, job, file);
    }
    log.warn("job {}: its primary store has failed for over {}; its files go to the backup store", file.jobId(),
        backup.after());
    ObjectStore primary = job.openStore();
    if (primary != null) {
      primary.abort(file.key());
    }
    attempts.remove(tp);
    // Again from the file's first chunk, which now picks the backup. The file stays open meanwhile,
    // so no offset past its first chunk is committed.
    return Outcome.seek(file.firstOffset());
  }

  private Outcome retry(JobSpec spec, JobUploads job, OpenFiles.Open file) {
    warn(spec, job, UploadWarnings.RETRY, file, "the storage failed to take the file; it is uploaded again");
    return Outcome.RETRY;
  }

  /** Agora's upload warnings (31, 32): once per file, however often it is retried. */
  private void warn(JobSpec spec, JobUploads job, int code, OpenFiles.Open file, String what) {
    if (job.firstWarning(code, file.fileName())) {
      Events.sendUntilWritten(producer, Events.of(spec, Events.warning(MODULE, code, file.fileName() + ": " + what)));
    }
  }

  private boolean useBackup(JobUploads job) {
    return job.route() != null && job.route().toBackup(System.currentTimeMillis(), backup.after());
  }

  private ObjectStore primary(JobUploads job, StorageConfig storage) throws StoreException {
    ObjectStore store = job.store(storage);
    if (store == null) {
      store = stores.open(storage);
      job.store(storage, store);
    }
    return store;
  }

  private JobUploads job(String jobId) {
    return uploads.computeIfAbsent(jobId, id -> new JobUploads(backup == null ? null : backup.route(id)));
  }

  /**
   * Reports a job's storage mistakes once per storage config, before its files if possible (from
   * the job's writer or the polling thread, hence the lock).
   */
  private synchronized void ensureChecked(JobSpec spec, JobUploads known) {
    String jobId = spec.getJobId();
    StorageConfig storage = spec.getStorage();
    if (checked.containsKey(jobId) && Objects.equals(checked.get(jobId), storage)) {
      return;
    }
    checked.put(jobId, storage);
    if (known != null && known.failed(storage)) {
      return;
    }
    // Only a job with a problem gets its state here: most jobs seen on capstan.jobs are fine.
    checks.problem(spec).ifPresent(p -> {
      JobUploads job = known != null ? known : job(jobId);
      boolean first = !job.failed();
      permanentFailure(spec, job, p.code(), p.message());
      if (first && spec.getRunning()) {
        stopUnstorable(spec);
      }
    });
  }

  /**
   * A recording whose storage settings no store can take would record for nothing: it is stopped,
   * so it ends at once with a non-zero exitStatus and its cname and uid are free for a corrected start.
   */
  private void stopUnstorable(JobSpec spec) {
    RecordingCommand stop = RecordingCommand.newBuilder().setJobId(spec.getJobId())
        .setCommandId(UUID.randomUUID().toString()).setIssuedUtcMs(System.currentTimeMillis())
        .setAction(StopCommand.newBuilder().setAsync(true).build()).build();
    Resends.send(producer, new ProducerRecord<>(Topics.COMMANDS.name(), spec.getJobId(), stop));
    log.info("job {}: stopped, its storage settings cannot be used", spec.getJobId());
  }

  /** Jobs appear on capstan.jobs before their files: check the new ones this instance will upload. */
  private void checkNewJobs() {
    long now = System.currentTimeMillis();
    if (now - lastCheckMs < CHECK_EVERY_MS) {
      return;
    }
    lastCheckMs = now;
    Set<TopicPartition> mine = consumer.assignment();
    if (mine.isEmpty()) {
      return;
    }
    if (filePartitions == 0) {
      filePartitions = consumer.partitionsFor(Topics.FILES.name()).size();
    }
    Map<String, JobSpec> all = jobs.all();
    checked.keySet().removeIf(id -> !all.containsKey(id) || !all.get(id).getRunning() && !uploads.containsKey(id));
    for (JobSpec spec : all.values()) {
      String jobId = spec.getJobId();
      if (!spec.getRunning() || (checked.containsKey(jobId) && Objects.equals(checked.get(jobId), spec.getStorage()))) {
        continue;
      }
      int partition = Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % filePartitions;
      if (mine.contains(new TopicPartition(Topics.FILES.name(), partition))) {
        ensureChecked(spec, uploads.get(jobId));
      }
    }
  }

  private void finish(JobSpec spec, JobUploads job) {
    JobRoute route = job.route();
    int exitStatus = job.failed() ? ExitStatus.STORAGE_FAILED : ExitStatus.NORMAL;
    if (!job.failed()) {
      boolean backedUp = route != null && route.backedUpAny();
      List<FileEntry> files = backedUp ? job.fileList() : job.fileList(listed(spec, job));
      if (files.isEmpty() && !job.snapshotStored()) {
        // No source ever delivered media: the recording could not be made, and the status says so.
        exitStatus = ExitStatus.NO_MEDIA;
        Events.sendUntilWritten(producer, Events.of(spec, Events.fatal(MODULE, UploadErrors.NO_MEDIA,
            "nothing was recorded: no source delivered any media before the recording ended")));
      }
      if (backedUp) {
        Events.sendUntilWritten(producer, Events.once(spec, "backuped",
            Backuped.newBuilder().setStatus(0).setFileList(files).build()));
        backup.ended(spec, files); // Uploaded follows once the primary has them all
      } else {
        Events.sendUntilWritten(producer, Events.of(spec, UploadingProgress.newBuilder().setProgress(UploadProgress.ALL).build()));
        Events.sendUntilWritten(producer, Events.once(spec, "uploaded",
            Uploaded.newBuilder().setStatus(0).setFileList(files).build()));
        PostProcessingStarter starter = postProcessing;
        if (starter != null && spec.getAfterRecording() != null) {
          long end = job.lastSliceEndUtcMs();
          try {
            starter.recordingStored(spec, files, end > 0 ? (end - spec.getStartedUtcMs()) * 1000 : 0);
          } catch (RuntimeException e) {
            log.error("job {}: cannot start its post-processing", spec.getJobId(), e);
            Events.sendUntilWritten(producer, Events.of(spec, Events.error(MODULE, UploadErrors.POST_PROCESSING,
                "cannot start the recording's post-processing: " + e.getClass().getSimpleName())));
          }
        }
      }
    }
    if (backup != null) {
      backup.forget(spec.getJobId());
    }
    Events.sendUntilWritten(producer, Events.once(spec, "session_exit",
        SessionExit.newBuilder().setExitStatus(exitStatus).build()));
    log.info("job {}: {}", spec.getJobId(), job.failed() ? "files NOT uploaded"
        : route != null && route.backedUpAny() ? "files in the backup store, owed to the primary" : "all files uploaded");
  }

  /** The job's playlists in its store: a previous run may have stored some this run never saw. */
  private List<FileEntry> listed(JobSpec spec, JobUploads job) {
    StorageConfig storage = spec.getStorage();
    try {
      String prefix = ObjectPaths.prefix(storage == null ? List.of() : storage.getFileNamePrefix());
      String dir = prefix.isEmpty() ? "" : prefix + "/";
      List<String> names = new ArrayList<>();
      for (String key : primary(job, storage).list(dir + spec.getJobId() + "_")) {
        names.add(key.substring(dir.length()));
      }
      return FileLists.fromNames(spec.getJobId(), spec.getChannel(), names);
    } catch (StoreException | RuntimeException e) {
      log.debug("job {}: cannot list its store; the fileList is this run's", spec.getJobId(), e);
      return List.of();
    }
  }

  private Outcome permanentFailure(JobSpec spec, JobUploads job, int code, String message) {
    job.markFailed(spec.getStorage());
    // The message names the rule, vendor or bucket at fault, never the storage keys.
    log.warn("job {}: its files cannot be stored: {}", spec.getJobId(), message);
    Events.sendUntilWritten(producer, Events.of(spec, Events.fatal(MODULE, code, message)));
    return Outcome.DONE;
  }

  private void resumeDue() {
    if (retryAtMs.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    Set<TopicPartition> due = new HashSet<>();
    retryAtMs.forEach((tp, at) -> {
      if (at <= now) {
        due.add(tp);
      }
    });
    if (!due.isEmpty()) {
      due.forEach(retryAtMs::remove);
      due.retainAll(consumer.assignment());
      consumer.resume(due);
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // A writer still busy with a revoked partition finishes first, and what it stored is committed,
      // so the next owner neither writes it again nor races it.
      for (TopicPartition tp : partitions) {
        Future<?> busy = writing.get(tp);
        if (busy != null) {
          try {
            busy.get();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (ExecutionException e) {
            log.error("a writer of {} failed", tp, e.getCause());
          }
        }
      }
      try {
        settle();
      } catch (KafkaException e) {
        log.warn("offsets of revoked partitions could not be committed ({}); their files are written again",
            e.getMessage());
      }
      partitions.forEach(tp -> {
        writing.remove(tp);
        retryAtMs.remove(tp);
        attempts.remove(tp);
        // The next owner reads these files again from their first chunks: drop what was kept of them.
        for (OpenFiles.Open file : openFiles.revoke(tp)) {
          if (file.backup()) {
            backup.abort(file.jobId(), file.key());
          } else {
            JobUploads job = uploads.get(file.jobId());
            ObjectStore store = job == null ? null : job.openStore();
            if (store != null) {
              store.abort(file.key());
            }
          }
        }
      });
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    }
  }
}
