package io.capstan.uploader.post;

import io.capstan.runtime.events.Events;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.DownloadFailed;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.PostProcessingKind;
import io.capstan.schemas.PostponeTranscodeFinalResult;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.TranscodedFile;
import io.capstan.schemas.TranscoderCompleted;
import io.capstan.schemas.UidTranscodeResult;
import io.capstan.schemas.Uploaded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the derived jobs of the recordings this instance started post-processing for, on
 * capstan.events (every partition, no group: a derived job's files may go through another uploader
 * instance), and reports the outcome on the recording: 81 with each uid's result and files, then
 * 1001. A derived job is over at its session_exit (11), or when ingest refused it (an ingest error
 * before it ran); one that has not ended within the timeout failed. Download failures (90) on the
 * recording make its uid's result partial.
 */
public final class PostProcessingTracker implements Runnable, AutoCloseable {

  public static final String ALL_SUCCESS = "all_success";
  public static final String PARTIAL = "partial_success";
  public static final String FAIL = "fail";

  private static final Logger log = LoggerFactory.getLogger(PostProcessingTracker.class);
  /** Events of different jobs sit on different partitions: wait this long for a late 90 after the last 11. */
  private static final long SETTLE_MS = 2_000;
  private static final Duration SETTLE_POLL = Duration.ofMillis(200);
  private static final Duration IDLE_POLL = Duration.ofSeconds(5);

  private final KafkaConsumer<String, RecordingEvent> consumer;
  private final Producer<String, SpecificRecord> producer;
  private final Duration timeout;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, String> originalOf = new ConcurrentHashMap<>();

  private static final class Derived {
    final JobSpec spec;
    final List<String> files = new ArrayList<>();
    boolean done;

    Derived(JobSpec spec) {
      this.spec = spec;
    }

    String uid() {
      String uid = spec.getPostProcessing().getUid();
      return uid == null || uid.isEmpty() ? "0" : uid;
    }
  }

  private static final class Pending {
    final JobSpec recording;
    final Map<String, Derived> derived = new LinkedHashMap<>();
    final Set<String> missing = new LinkedHashSet<>();
    final long deadlineMs;
    long settledAtMs;

    Pending(JobSpec recording, long deadlineMs) {
      this.recording = recording;
      this.deadlineMs = deadlineMs;
    }
  }

  public PostProcessingTracker(KafkaClients kafka, String clientId, Producer<String, SpecificRecord> producer,
                               Duration timeout) {
    // no group, never reassigned: an idle fetch may wait long (events still end it at once)
    this.consumer = kafka.consumer(Topics.EVENTS, null, clientId,
        Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, KafkaClients.IDLE_FETCH_WAIT_MS));
    this.producer = producer;
    this.timeout = timeout;
  }

  /** Registers the derived jobs of {@code recording} (before they are started). */
  public void expect(JobSpec recording, List<JobSpec> derived) {
    Pending p = new Pending(recording, System.currentTimeMillis() + timeout.toMillis());
    synchronized (p) {
      for (JobSpec d : derived) {
        p.derived.put(d.getJobId(), new Derived(d));
        originalOf.put(d.getJobId(), recording.getJobId());
      }
    }
    pending.put(recording.getJobId(), p);
  }

  @Override
  public void run() {
    List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name()).stream()
        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fix the start now: derived jobs begin after this
    try {
      while (running.get()) {
        // records wake it at once; only a pending recording's settle time needs it to look again soon
        for (ConsumerRecord<String, RecordingEvent> record : consumer.poll(pending.isEmpty() ? IDLE_POLL : SETTLE_POLL)) {
          if (record.value() != null) {
            onEvent(record.value());
          }
        }
        settle();
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofMillis(100)); // no group, nothing to commit: do not wait for the fetch in flight
    }
  }

  private void onEvent(RecordingEvent event) {
    String jobId = event.getJobId();
    Object details = event.getDetails();
    Pending recording = pending.get(jobId);
    if (recording != null && details instanceof DownloadFailed failed) {
      synchronized (recording) {
        recording.missing.add(failed.getFileName());
      }
      return;
    }
    String original = originalOf.get(jobId);
    Pending p = original == null ? null : pending.get(original);
    if (p == null) {
      return;
    }
    synchronized (p) {
      Derived d = p.derived.get(jobId);
      if (d == null) {
        return;
      }
      if (details instanceof Uploaded uploaded) {
        for (FileEntry f : uploaded.getFileList()) {
          String name = f.getFileName();
          if (!name.endsWith(".m3u8") && !d.files.contains(name)) {
            d.files.add(name);
          }
        }
      } else if (details instanceof SessionExit) {
        d.done = true;
      } else if (details instanceof RecordingError error && "ingest".equals(error.getModule())) {
        log.warn("job {}: post-processing job {} failed: {}", original, jobId, error.getErrorMsg());
        d.done = true;
      }
      if (p.derived.values().stream().allMatch(x -> x.done) && p.settledAtMs == 0) {
        p.settledAtMs = System.currentTimeMillis() + SETTLE_MS;
      }
    }
  }

  private void settle() {
    long now = System.currentTimeMillis();
    for (Pending p : List.copyOf(pending.values())) {
      boolean due;
      synchronized (p) {
        due = (p.settledAtMs > 0 && now >= p.settledAtMs) || now >= p.deadlineMs;
      }
      if (due) {
        pending.remove(p.recording.getJobId());
        p.derived.keySet().forEach(originalOf::remove);
        report(p);
      }
    }
  }

  private void report(Pending p) {
    List<UidTranscodeResult> uids = new ArrayList<>();
    List<TranscodedFile> all = new ArrayList<>();
    synchronized (p) {
      for (Derived d : p.derived.values()) {
        boolean mix = d.spec.getPostProcessing().getKind() == PostProcessingKind.AUDIO_MIX;
        String marker = "__uid_s_" + d.uid() + "__uid_e_";
        boolean missing = p.missing.stream().anyMatch(name -> mix || name.contains(marker) || !name.contains("__uid_s_"));
        String result = !d.done || d.files.isEmpty() ? FAIL : missing ? PARTIAL : ALL_SUCCESS;
        List<TranscodedFile> files = d.files.stream().map(n -> TranscodedFile.newBuilder().setFileName(n).build())
            .toList();
        all.addAll(files);
        uids.add(UidTranscodeResult.newBuilder().setUid(d.uid()).setResult(result).setFileList(files).build());
      }
    }
    boolean allOk = uids.stream().allMatch(u -> u.getResult().equals(ALL_SUCCESS));
    boolean noneOk = uids.stream().allMatch(u -> u.getResult().equals(FAIL));
    String completed = allOk ? ALL_SUCCESS : noneOk ? FAIL : PARTIAL;
    String finalResult = allOk ? "total_success" : noneOk ? "failed" : "partial_success";
    Events.sendUntilWritten(producer, Events.of(p.recording, TranscoderCompleted.newBuilder().setResult(completed)
        .setUids(uids).build()));
    Events.sendUntilWritten(producer, Events.of(p.recording, PostponeTranscodeFinalResult.newBuilder().setResult(finalResult)
        .setFileList(all).build()));
    log.info("job {}: post-processing {} ({} files)", p.recording.getJobId(), finalResult, all.size());
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
  }
}
