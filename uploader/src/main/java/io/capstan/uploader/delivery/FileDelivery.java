package io.capstan.uploader.delivery;

import io.capstan.runtime.events.Events;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.schemas.FileChunk;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Uploaded;
import io.capstan.schemas.UploaderStarted;
import io.capstan.uploader.path.InvalidPathException;
import io.capstan.uploader.path.ObjectPaths;
import io.capstan.uploader.store.ObjectStore;
import io.capstan.uploader.store.StoreException;
import io.capstan.uploader.store.StoreFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uploader's loop over capstan.files, its durable spool. Chunks are written in partition order
 * (so in job order: a playlist only after the slices it names); a partition's offset is committed
 * only after the store acknowledged its chunks and the events they caused were sent. A failing
 * store pauses only the failing partition: the chunk is tried again after a backoff, and nothing
 * behind it moves meanwhile. A permanent failure (the user's storage settings) is reported once per
 * job as an error event and its chunks are skipped.
 */
public final class FileDelivery implements Runnable, AutoCloseable {

  static final String MODULE = "uploader";
  private static final Logger log = LoggerFactory.getLogger(FileDelivery.class);

  private final KafkaConsumer<String, FileChunk> consumer;
  private final Producer<String, SpecificRecord> producer;
  private final TopicView<JobSpec> jobs;
  private final StoreFactory stores;
  private final Backoff backoff;
  private final Duration jobWait;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, JobUploads> uploads = new HashMap<>();
  private final Map<TopicPartition, Long> retryAtMs = new HashMap<>();
  private final Map<TopicPartition, Integer> attempts = new HashMap<>();
  private volatile boolean polling;

  private enum Outcome { DONE, RETRY }

  public FileDelivery(KafkaConsumer<String, FileChunk> consumer, Producer<String, SpecificRecord> producer,
                      TopicView<JobSpec> jobs, StoreFactory stores, Backoff backoff, Duration jobWait) {
    this.consumer = consumer;
    this.producer = producer;
    this.jobs = jobs;
    this.stores = stores;
    this.backoff = backoff;
    this.jobWait = jobWait;
  }

  public boolean polling() {
    return polling;
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(io.capstan.runtime.kafka.Topics.FILES.name()), new Rebalance());
    try {
      while (running.get()) {
        ConsumerRecords<String, FileChunk> records = consumer.poll(Duration.ofMillis(200));
        polling = true;
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
          for (ConsumerRecord<String, FileChunk> record : records.records(tp)) {
            if (deliver(record) == Outcome.RETRY) {
              int attempt = attempts.merge(tp, 1, Integer::sum) - 1;
              Duration wait = backoff.delay(attempt);
              log.warn("storage write failed for job {} (attempt {}); retrying in {} ms", record.key(), attempt + 1,
                  wait.toMillis());
              consumer.seek(tp, record.offset());
              consumer.pause(List.of(tp));
              retryAtMs.put(tp, System.currentTimeMillis() + wait.toMillis());
              break;
            }
            attempts.remove(tp);
            done.put(tp, new OffsetAndMetadata(record.offset() + 1));
          }
        }
        if (!done.isEmpty()) {
          producer.flush(); // events of these chunks are out before their offsets move
          consumer.commitSync(done);
        }
        resumeDue();
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      uploads.values().forEach(JobUploads::close);
      consumer.close();
    }
  }

  private Outcome deliver(ConsumerRecord<String, FileChunk> record) {
    FileChunk chunk = record.value();
    if (chunk == null) {
      return Outcome.DONE;
    }
    String jobId = chunk.getJobId();
    Optional<JobSpec> found = jobs.get(jobId).or(() -> jobs.await(jobId, jobWait));
    if (found.isEmpty()) {
      log.warn("job {}: no job spec within {}; file skipped", jobId, jobWait);
      Events.send(producer, Events.of(jobId, "", "", Events.error(MODULE, UploadErrors.NO_JOB,
          "no job spec for job " + jobId + "; a file was not uploaded")));
      return Outcome.DONE;
    }
    JobSpec spec = found.get();
    JobUploads job = uploads.computeIfAbsent(jobId, id -> new JobUploads());
    if (chunk.getKind() == FileKind.END_OF_FILES) {
      finish(spec, job);
      uploads.remove(jobId).close();
      return Outcome.DONE;
    }
    if (job.failed()) {
      return Outcome.DONE;
    }
    try {
      StorageConfig storage = spec.getStorage();
      String key = ObjectPaths.key(storage == null ? List.of() : storage.getFileNamePrefix(), chunk.getFileName());
      ObjectStore store = job.store(storage);
      if (store == null) {
        store = stores.open(storage);
        job.store(storage, store);
      }
      store.put(key, chunk.getData(), chunk.getOffset(), chunk.getLast());
    } catch (InvalidPathException e) {
      return permanentFailure(spec, job, UploadErrors.PATH, e.getMessage());
    } catch (StoreException e) {
      if (e.permanent()) {
        return permanentFailure(spec, job, UploadErrors.STORAGE, e.getMessage());
      }
      log.debug("job {}: transient storage failure", jobId, e);
      return Outcome.RETRY;
    } catch (RuntimeException e) {
      log.warn("job {}: unexpected storage failure", jobId, e);
      return Outcome.RETRY;
    }
    if (!job.started()) {
      job.markStarted();
      Events.send(producer, Events.of(spec, UploaderStarted.newBuilder().setStatus(0).build()));
    }
    job.stored(chunk);
    return Outcome.DONE;
  }

  private void finish(JobSpec spec, JobUploads job) {
    if (!job.failed()) {
      Events.send(producer, Events.of(spec, Uploaded.newBuilder().setStatus(0).setFileList(job.fileList()).build()));
    }
    Events.send(producer, Events.of(spec, SessionExit.newBuilder().setExitStatus(0).build()));
    log.info("job {}: {} uploaded", spec.getJobId(), job.failed() ? "files NOT" : "all files");
  }

  private Outcome permanentFailure(JobSpec spec, JobUploads job, int code, String message) {
    job.markFailed();
    // The message names the rule or vendor at fault, never the storage keys.
    log.warn("job {}: its files cannot be stored: {}", spec.getJobId(), message);
    RecordingEvent event = Events.of(spec, Events.error(MODULE, code, message));
    Events.send(producer, event);
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
      partitions.forEach(tp -> {
        retryAtMs.remove(tp);
        attempts.remove(tp);
      });
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    }
  }
}
