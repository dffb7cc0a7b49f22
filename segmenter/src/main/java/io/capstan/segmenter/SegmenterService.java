package io.capstan.segmenter;

import io.capstan.runtime.events.Events;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.Service;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.FileChunk;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingEvent;
import io.capstan.segmenter.hls.SegmentType;
import io.capstan.segmenter.job.Emitter;
import io.capstan.segmenter.job.JobSegmenter;
import io.capstan.segmenter.job.OutputKey;
import io.capstan.segmenter.job.Resumed;
import io.capstan.segmenter.playlist.MediaPlaylist;
import io.capstan.segmenter.progress.FileRef;
import io.capstan.segmenter.progress.PartitionProgress;
import io.capstan.segmenter.progress.PlaylistFetcher;
import io.capstan.segmenter.progress.ResumeNote;
import io.capstan.segmenter.rtmp.RtmpPushes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packets in, files out: consumes capstan.packets (group {@code capstan-segmenter}), muxes each
 * output's HLS slices (MPEG-TS or fMP4), MP4 files and snapshots in memory and produces slices,
 * playlists, MP4 chunks, JPEGs and END_OF_FILES to capstan.files, and SliceStart and SnapshotFile
 * events to capstan.events. Each poll batch is one Kafka transaction: what it
 * produced and the offsets it may commit (see {@link io.capstan.segmenter.progress}) commit
 * together.
 */
public final class SegmenterService implements Service {

  public static final String GROUP = "capstan-segmenter";
  static final String MODULE = "segmenter";
  private static final Logger log = LoggerFactory.getLogger(SegmenterService.class);

  private final ServiceContext ctx;
  private final Duration jobWait;
  private final int noteMaxChars;
  private final int mp4MaxSeconds;
  private final SegmentType hlsType;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
  private final List<PendingPlaylist> pendingPlaylists = new ArrayList<>();
  private TopicView<JobSpec> jobs;
  private Thread loop;
  private volatile boolean ready;
  private volatile boolean failed;
  private KafkaConsumer<String, EncodedPacket> consumer;
  private KafkaProducer<String, SpecificRecord> producer;
  private PlaylistFetcher fetcher;
  /** Events of the live pushes, sent from their own threads: outside the loop's transactions. */
  private KafkaProducer<String, SpecificRecord> pushEvents;
  private RtmpPushes pushes;

  private record PendingPlaylist(TopicPartition source, OutputKey output, Future<RecordMetadata> sent) {
  }

  public SegmenterService(ServiceContext ctx) {
    this.ctx = ctx;
    this.jobWait = ctx.config().get(SegmenterSettings.JOB_WAIT);
    this.noteMaxChars = ctx.config().get(SegmenterSettings.NOTE_MAX_CHARS);
    this.mp4MaxSeconds = ctx.config().get(SegmenterSettings.MP4_MAX_SECONDS);
    this.hlsType = SegmentType.parse(ctx.config().get(SegmenterSettings.HLS_SEGMENT_TYPE));
  }

  @Override
  public String name() {
    return MODULE;
  }

  @Override
  public void start() {
    jobs = new TopicView<>(ctx.kafka(), Topics.JOBS, ctx.clientId(MODULE, "jobs"));
    jobs.start();
    pushes = new RtmpPushes(jobs::get, (spec, status) -> Events.send(pushEvents(), Events.of(spec, status)),
        ctx.config().get(SegmenterSettings.RTMP_MAX_BACKOFF), ctx.config().get(SegmenterSettings.RTMP_IO_TIMEOUT));
    loop = new Thread(this::run, "segmenter-loop");
    loop.start();
  }

  @Override
  public boolean healthy() {
    return !failed && loop != null && loop.isAlive();
  }

  @Override
  public boolean ready() {
    return ready;
  }

  @Override
  public void close() {
    running.set(false);
    if (consumer != null) {
      consumer.wakeup();
    }
    if (loop != null) {
      try {
        loop.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (pushes != null) {
      pushes.close();
    }
    synchronized (this) {
      if (pushEvents != null) {
        pushEvents.close(Duration.ofSeconds(5));
      }
    }
    if (jobs != null) {
      jobs.close();
    }
  }

  private synchronized KafkaProducer<String, SpecificRecord> pushEvents() {
    if (pushEvents == null) {
      pushEvents = ctx.kafka().producer(ctx.clientId(MODULE, "rtmp"));
    }
    return pushEvents;
  }

  private void run() {
    try {
      producer = ctx.kafka().producer(ctx.clientId(MODULE, "files"),
          Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "capstan-segmenter-" + ctx.instanceId()));
      producer.initTransactions();
      consumer = ctx.kafka().consumer(Topics.PACKETS, GROUP, ctx.clientId(MODULE, "packets"));
      fetcher = new PlaylistFetcher(ctx.kafka(), ctx.clientId(MODULE, "playlists"));
      consumer.subscribe(List.of(Topics.PACKETS.name()), new Rebalance());
      while (running.get()) {
        ConsumerRecords<String, EncodedPacket> records = consumer.poll(Duration.ofMillis(200));
        ready = true;
        if (!records.isEmpty()) {
          processBatch(records);
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        failed = true;
        log.error("segmenter loop woken up unexpectedly", e);
      }
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      failed = true;
      log.error("segmenter stopped: its transactional producer cannot go on", e);
    } catch (RuntimeException e) {
      failed = true;
      log.error("segmenter loop failed", e);
    } finally {
      partitions.values().forEach(PartitionProgress::close);
      partitions.clear();
      closeQuietly(consumer);
      closeQuietly(producer);
      closeQuietly(fetcher);
    }
  }

  private void processBatch(ConsumerRecords<String, EncodedPacket> records) {
    producer.beginTransaction();
    try {
      Emitter emitter = null;
      for (TopicPartition tp : records.partitions()) {
        PartitionProgress progress = partitions.computeIfAbsent(tp, p -> new PartitionProgress(ResumeNote.empty()));
        emitter = emitterFor(tp);
        for (ConsumerRecord<String, EncodedPacket> record : records.records(tp)) {
          handle(tp, progress, record, emitter);
          progress.processed(record.offset());
        }
      }
      producer.flush();
      for (PendingPlaylist p : pendingPlaylists) {
        RecordMetadata md = p.sent().get();
        partitions.get(p.source()).playlistWritten(p.output(), new FileRef(md.partition(), md.offset()));
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (TopicPartition tp : records.partitions()) {
        PartitionProgress progress = partitions.get(tp);
        long commit = progress.committable();
        if (commit >= 0) {
          offsets.put(tp, new OffsetAndMetadata(commit, progress.noteFor(commit).encode(noteMaxChars)));
        }
      }
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      producer.commitTransaction();
      offsets.forEach((tp, om) -> partitions.get(tp).committed(om.offset()));
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      throw e;
    } catch (KafkaException | ExecutionException e) {
      log.warn("segmenter transaction failed; going back to the committed offsets", e);
      producer.abortTransaction();
      rewind(consumer.assignment());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      producer.abortTransaction();
      throw new IllegalStateException("interrupted", e);
    } finally {
      pendingPlaylists.clear();
    }
  }

  private void handle(TopicPartition tp, PartitionProgress progress, ConsumerRecord<String, EncodedPacket> record,
                      Emitter emitter) {
    EncodedPacket packet = record.value();
    if (packet == null) {
      return;
    }
    String jobId = packet.getJobId();
    if (progress.hasEnded(jobId)) {
      return;
    }
    JobSegmenter job = progress.jobs().get(jobId);
    try {
      if (job == null) {
        Optional<JobSpec> spec = jobs.await(jobId, jobWait);
        if (spec.isEmpty()) {
          reportError(emitter, jobId, null, "no job spec for job " + jobId + " on " + Topics.JOBS.name()
              + " within " + jobWait + "; its packet was skipped");
          return;
        }
        job = new JobSegmenter(spec.get(), JobSegmenter.ffmpeg(hlsType, mp4MaxSeconds), emitter, key -> resume(progress, key));
        progress.jobs().put(jobId, job);
      }
      job.onRecord(packet, record.offset());
      pushLive(tp, packet);
      if (job.ended()) {
        progress.jobEnded(jobId, record.offset() + 1);
        log.info("job {} ended: its files are out", jobId);
      }
    } catch (RuntimeException e) {
      // Bad input (a broken packet, an unknown codec) must not stop the service.
      log.warn("job {}: cannot segment record {} of {}", jobId, record.offset(), tp, e);
      reportError(emitter, jobId, job, "cannot segment a packet: " + e.getMessage());
    }
  }

  /** The live push (rtmp_publish_service) gets the composite packets too; it never affects the files. */
  private void pushLive(TopicPartition tp, EncodedPacket packet) {
    try {
      pushes.onRecord(tp.partition(), packet);
    } catch (RuntimeException e) {
      log.warn("job {}: live push failed: {}", packet.getJobId(), e.toString());
    }
  }

  private Optional<Resumed> resume(PartitionProgress progress, OutputKey key) {
    return progress.takeInherited(key).map(note -> {
      MediaPlaylist playlist = new MediaPlaylist();
      if (note.playlist() != null) {
        Optional<MediaPlaylist> fetched = fetcher.fetch(note.playlist(), Duration.ofSeconds(10));
        if (fetched.isPresent()) {
          playlist = fetched.get();
        } else {
          log.warn("job {}: the previous playlist of uid '{}' could not be read back; it continues without "
              + "the slices before the takeover", key.jobId(), key.uid());
        }
      }
      log.info("job {}: continuing {} output uid '{}' {} from offset {} after {} slices", key.jobId(), key.kind(),
          key.uid(), key.tracks(), note.resumeOffset(), playlist.entries().size());
      return new Resumed(note.resumeOffset(), playlist, note.discontinuity(), note.carry());
    });
  }

  private Emitter emitterFor(TopicPartition source) {
    return new Emitter() {
      @Override
      public void file(FileChunk chunk) {
        producer.send(new ProducerRecord<>(Topics.FILES.name(), chunk.getJobId(), chunk));
      }

      @Override
      public void playlist(OutputKey output, FileChunk chunk) {
        pendingPlaylists.add(new PendingPlaylist(source, output,
            producer.send(new ProducerRecord<>(Topics.FILES.name(), chunk.getJobId(), chunk))));
      }

      @Override
      public void event(RecordingEvent event) {
        Events.send(producer, event);
      }
    };
  }

  private void reportError(Emitter emitter, String jobId, JobSegmenter job, String message) {
    RecordingEvent event = Events.of(jobId, "", "", Events.error(MODULE, 1, message));
    emitter.event(event);
  }

  /** Forgets what was in memory and reads again from the committed offsets and their notes. */
  private void rewind(Collection<TopicPartition> assigned) {
    if (assigned.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(assigned));
    for (TopicPartition tp : assigned) {
      OffsetAndMetadata om = committed.get(tp);
      PartitionProgress old = partitions.put(tp,
          new PartitionProgress(om == null ? ResumeNote.empty() : ResumeNote.decode(om.metadata())));
      if (old != null) {
        old.close();
      }
      if (om != null) {
        consumer.seek(tp, om.offset());
      } else {
        consumer.seekToBeginning(List.of(tp));
      }
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      // Batches commit before the next poll, so nothing is open here: the slices in progress of
      // these partitions are simply dropped; the new owner makes them again from the committed offset.
      for (TopicPartition tp : revoked) {
        pushes.closePartition(tp.partition());
        PartitionProgress gone = partitions.remove(tp);
        if (gone != null) {
          gone.close();
        }
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      onPartitionsRevoked(lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      Set<TopicPartition> set = new HashSet<>(assigned);
      if (!set.isEmpty()) {
        rewind(set);
      }
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("close failed", e);
    }
  }
}
