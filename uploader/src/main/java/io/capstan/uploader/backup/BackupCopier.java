package io.capstan.uploader.backup;

import io.capstan.runtime.events.Events;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Uploaded;
import io.capstan.schemas.UploadingProgress;
import io.capstan.uploader.post.PostProcessingStarter;
import io.capstan.uploader.delivery.Backoff;
import io.capstan.uploader.delivery.UploadProgress;
import io.capstan.uploader.delivery.UploadErrors;
import io.capstan.uploader.path.FileLists;
import io.capstan.storage.path.ObjectPaths;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup store and the task that empties it. The delivery writes a job's files to the backup
 * (under {@code <jobId>/<primary key>}) while the job's primary is down; this copier moves them to
 * the primary, oldest first, retrying with backoff, and reports Uploaded for an ended job once none
 * is owed. A copy is deleted from the backup after the primary acknowledged it: the backup then
 * holds exactly the files still owed, which is what a restarted uploader resumes from
 * ({@link #recover}). Keeping copies would need per-file bookkeeping and would let a stale
 * playlist overwrite a newer one after a restart.
 */
public final class BackupCopier implements AutoCloseable {

  static final String MODULE = "uploader";
  private static final Logger log = LoggerFactory.getLogger(BackupCopier.class);

  private final ObjectStore deliveryBackup;
  private final ObjectStore copierBackup;
  private final StoreFactory primaries;
  private final Backoff backoff;
  private final Duration after;
  private final Producer<String, SpecificRecord> producer;
  private volatile PostProcessingStarter postProcessing;
  private final TopicView<JobSpec> jobs;
  private final Map<String, JobRoute> routes = new ConcurrentHashMap<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Map<String, Long> nextTryMs = new HashMap<>();
  private final Map<String, ObjectStore> openPrimaries = new HashMap<>();
  private final Map<String, StorageConfig> openConfigs = new HashMap<>();
  private final Map<String, Boolean> gaveUp = new ConcurrentHashMap<>();
  private final Object wake = new Object();
  private volatile boolean running = true;
  private Thread thread;

  /** Two instances of the backup store: one for the delivery thread, one for the copier's. */
  public BackupCopier(ObjectStore deliveryBackup, ObjectStore copierBackup, StoreFactory primaries, Backoff backoff,
                      Duration after, Producer<String, SpecificRecord> producer, TopicView<JobSpec> jobs) {
    this.deliveryBackup = deliveryBackup;
    this.copierBackup = copierBackup;
    this.primaries = primaries;
    this.backoff = backoff;
    this.after = after;
    this.producer = producer;
    this.jobs = jobs;
  }

  public Duration after() {
    return after;
  }

  public JobRoute route(String jobId) {
    return routes.computeIfAbsent(jobId, JobRoute::new);
  }

  /** Writes a chunk of a job's file to the backup (delivery thread). */
  public void put(String jobId, String primaryKey, ByteBuffer data, long offset, boolean last) throws StoreException {
    String key = BackupFile.backupKey(jobId, primaryKey);
    if (last) {
      route(jobId).writeLast(key, () -> deliveryBackup.put(key, data, offset, true));
    } else {
      deliveryBackup.put(key, data, offset, false);
    }
  }

  public void abort(String jobId, String primaryKey) {
    deliveryBackup.abort(BackupFile.backupKey(jobId, primaryKey));
  }

  /** A complete file is in the backup: it is owed to the job's primary. */
  public void stored(JobSpec spec, String primaryKey) {
    String jobId = spec.getJobId();
    route(jobId).owe(new BackupFile(jobId, BackupFile.backupKey(jobId, primaryKey), spec.getStorage(), primaryKey));
    signal();
  }

  /** Starts a recording's post-processing once its backed-up files all reached the primary (Uploaded). */
  public void postProcessing(PostProcessingStarter starter) {
    this.postProcessing = starter;
  }

  /** The job's files are all in; Uploaded follows as soon as none is owed (now, if so). */
  public void ended(JobSpec spec, List<FileEntry> files) {
    route(spec.getJobId()).ended(spec, files);
    signal();
  }

  /** Drops the route of an ended job that never needed the backup. */
  public void forget(String jobId) {
    routes.computeIfPresent(jobId, (id, r) -> r.backedUpAny() || r.head() != null ? r : null);
  }

  /** Finds the files a previous run left in the backup and owes them again (non-playlists first). */
  public void recover() throws StoreException {
    Map<String, List<String>> byJob = new LinkedHashMap<>();
    for (String key : copierBackup.list("")) {
      int slash = key.indexOf('/');
      if (slash > 0) {
        byJob.computeIfAbsent(key.substring(0, slash), j -> new ArrayList<>()).add(key.substring(slash + 1));
      }
    }
    byJob.forEach((jobId, keys) -> {
      JobSpec spec = jobs.get(jobId).orElse(null);
      if (spec == null) {
        log.warn("job {}: {} file(s) in the backup store but no job spec; they stay there", jobId, keys.size());
        return;
      }
      keys.sort((a, b) -> {
        boolean pa = a.endsWith(".m3u8");
        boolean pb = b.endsWith(".m3u8");
        return pa == pb ? a.compareTo(b) : pa ? 1 : -1;
      });
      JobRoute route = route(jobId);
      keys.forEach(k -> route.owe(new BackupFile(jobId, BackupFile.backupKey(jobId, k), spec.getStorage(), k)));
      if (!spec.getRunning()) {
        route.ended(spec, null);
      }
      log.info("job {}: {} file(s) from the backup store are owed to its primary", jobId, keys.size());
    });
  }

  public void start() {
    thread = new Thread(this::run, "uploader-backup-copier");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      long now = System.currentTimeMillis();
      for (JobRoute route : List.copyOf(routes.values())) {
        if (!running) {
          break;
        }
        if (nextTryMs.getOrDefault(route.jobId(), 0L) <= now && !gaveUp.containsKey(route.jobId())) {
          drain(route);
        }
      }
      synchronized (wake) {
        try {
          wake.wait(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Copies the route's owed files in order until one fails or none is left. */
  private void drain(JobRoute route) {
    String jobId = route.jobId();
    BackupFile file;
    while (running && (file = route.head()) != null) {
      int version = route.version(file.backupKey());
      try {
        copy(file);
      } catch (StoreException e) {
        if (e.category() == StoreException.Category.NOT_FOUND) {
          log.warn("job {}: {} vanished from the backup store", jobId, file.primaryKey());
          if (!route.copied(file, version, f -> { })) {
            return;
          }
          continue;
        }
        if (e.permanent()) {
          giveUp(route, e);
          return;
        }
        int attempt = attempts.merge(jobId, 1, Integer::sum) - 1;
        long wait = backoff.delay(attempt).toMillis();
        nextTryMs.put(jobId, System.currentTimeMillis() + wait);
        log.debug("job {}: the primary store still fails ({}); next copy in {} ms", jobId, e.getMessage(), wait);
        return;
      }
      attempts.remove(jobId);
      nextTryMs.remove(jobId);
      if (!route.copied(file, version, this::removeCopy)) {
        return; // a newer version is being written: it is copied on a later round
      }
      if (route.nothingOwed()) {
        log.info("job {}: every backed-up file reached the primary store", jobId);
      }
    }
    JobSpec spec = route.endedSpec();
    if (spec != null && route.head() == null) {
      routes.remove(jobId, route);
      List<FileEntry> files = route.endedFiles();
      if (files == null) {
        files = listed(spec);
      }
      Events.sendUntilWritten(producer, Events.of(spec, UploadingProgress.newBuilder().setProgress(UploadProgress.ALL).build()));
      Events.sendUntilWritten(producer, Events.of(spec, Uploaded.newBuilder().setStatus(0).setFileList(files).build()));
      closePrimary(jobId);
      PostProcessingStarter starter = postProcessing;
      if (starter != null && spec.getAfterRecording() != null) {
        try {
          // Its files are all in the primary store now: the post-processing reads them from there.
          starter.recordingStored(spec, files, 0);
        } catch (RuntimeException e) {
          log.error("job {}: cannot start its post-processing", jobId, e);
        }
      }
    }
  }

  private void copy(BackupFile file) throws StoreException {
    byte[] bytes;
    try {
      bytes = copierBackup.get(file.backupKey());
    } catch (StoreException e) {
      if (e.category() == StoreException.Category.NOT_FOUND) {
        throw e;
      }
      // The backup itself failing is retried like a primary outage.
      throw new StoreException(StoreException.Category.UNAVAILABLE, "the backup store: " + e.getMessage());
    }
    primary(file).put(file.primaryKey(), ByteBuffer.wrap(bytes), 0, true);
  }

  private void removeCopy(BackupFile file) {
    try {
      copierBackup.delete(file.backupKey());
    } catch (StoreException e) {
      // The primary has the file; a copy left behind is copied again after a restart, harmlessly.
      log.warn("job {}: could not remove {} from the backup store: {}", file.jobId(), file.primaryKey(), e.getMessage());
    }
  }

  private ObjectStore primary(BackupFile file) throws StoreException {
    String jobId = file.jobId();
    // The job's latest storage settings: an update may have renewed its keys or sts token meanwhile.
    StorageConfig storage = jobs.get(jobId).map(JobSpec::getStorage).orElse(file.primary());
    ObjectStore store = openPrimaries.get(jobId);
    if (store == null || !Objects.equals(openConfigs.get(jobId), storage)) {
      closePrimary(jobId);
      store = primaries.open(storage);
      openPrimaries.put(jobId, store);
      openConfigs.put(jobId, storage);
    }
    return store;
  }

  private void closePrimary(String jobId) {
    ObjectStore store = openPrimaries.remove(jobId);
    openConfigs.remove(jobId);
    if (store != null) {
      store.close();
    }
  }

  private void giveUp(JobRoute route, StoreException e) {
    gaveUp.put(route.jobId(), true);
    log.warn("job {}: its files stay in the backup store: {}", route.jobId(), e.getMessage());
    JobSpec spec = jobs.get(route.jobId()).orElse(null);
    String message = e.getMessage() + "; " + route.owedCount() + " file(s) stay in the backup store";
    if (spec != null) {
      Events.sendUntilWritten(producer, Events.of(spec, Events.error(MODULE, UploadErrors.STORAGE, message)));
    } else {
      Events.sendUntilWritten(producer, Events.of(route.jobId(), "", "", Events.error(MODULE, UploadErrors.STORAGE, message)));
    }
  }

  private List<FileEntry> listed(JobSpec spec) {
    StorageConfig storage = spec.getStorage();
    try {
      String prefix = ObjectPaths.prefix(storage == null ? List.of() : storage.getFileNamePrefix());
      String dir = prefix.isEmpty() ? "" : prefix + "/";
      List<String> names = new ArrayList<>();
      ObjectStore store = primary(new BackupFile(spec.getJobId(), "", storage, ""));
      for (String key : store.list(dir + spec.getJobId() + "_")) {
        names.add(key.substring(dir.length()));
      }
      return FileLists.fromNames(spec.getJobId(), spec.getChannel(), names);
    } catch (StoreException | RuntimeException e) {
      log.debug("job {}: cannot list its primary store", spec.getJobId(), e);
      return List.of();
    }
  }

  private void signal() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** True while the copier still owes files to some primary (tests, readiness). */
  public boolean idle() {
    return routes.values().stream().allMatch(r -> r.head() == null);
  }

  @Override
  public void close() {
    running = false;
    signal();
    if (thread != null) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    openPrimaries.keySet().stream().toList().forEach(this::closePrimary);
    deliveryBackup.close();
    copierBackup.close();
  }
}
