package io.capstan.segmenter;

import io.capstan.runtime.events.Events;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.kafka.stage.StageClients;
import io.capstan.runtime.kafka.stage.StageOptions;
import io.capstan.runtime.kafka.stage.StageProcessor;
import io.capstan.runtime.kafka.stage.TransactionalStage;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packets in, files out: consumes capstan.packets (group {@code capstan-segmenter}), muxes each
 * output's HLS slices (MPEG-TS or fMP4), MP4 files and snapshots in memory and produces slices,
 * playlists, MP4 chunks, JPEGs and END_OF_FILES to capstan.files, and SliceStart and SnapshotFile
 * events to capstan.events. It is the {@link StageProcessor} of a {@link TransactionalStage}: each
 * poll batch is one Kafka transaction, what it produced and the offsets it may commit (see
 * {@link io.capstan.segmenter.progress}) commit together; when a transaction's output is thrown
 * away, its partitions start again from their committed offsets and notes.
 */
public final class SegmenterService implements Service {

  public static final String GROUP = "capstan-segmenter";
  static final String MODULE = "segmenter";
  private static final Logger log = LoggerFactory.getLogger(SegmenterService.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final ServiceContext ctx;
  private final Duration jobWait;
  private final int noteMaxChars;
  private final int mp4MaxSeconds;
  private final SegmentType hlsType;
  private final StageOptions stageOptions;
  private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
  private final List<PendingPlaylist> pendingPlaylists = new ArrayList<>();
  private TopicView<JobSpec> jobs;
  private TransactionalStage<EncodedPacket> stage;
  /** The stage's producer of the transaction in progress. */
  private Producer<String, SpecificRecord> producer;
  /** Whether the transaction in progress carries output (files, events), not only offsets. */
  private boolean wrote;
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
    this.stageOptions = SegmenterSettings.STAGE.read(ctx.config(), POLL);
  }

  @Override
  public String name() {
    return MODULE;
  }

  @Override
  public void start() {
    jobs = ctx.views().open(Topics.JOBS);
    jobs.start();
    pushes = new RtmpPushes(jobs::get, (spec, status) -> Events.send(pushEvents(), Events.of(spec, status)),
        ctx.config().get(SegmenterSettings.RTMP_MAX_BACKOFF), ctx.config().get(SegmenterSettings.RTMP_IO_TIMEOUT));
    fetcher = new PlaylistFetcher(ctx.kafka(), ctx.clientId(MODULE, "playlists"));
    stage = new TransactionalStage<>(stageOptions, Topics.PACKETS.name(),
        StageClients.kafka(ctx, Topics.PACKETS, GROUP, MODULE, "files", stageOptions), new Segmenting(), ctx.metrics());
    stage.start();
  }

  @Override
  public boolean healthy() {
    return stage != null && stage.healthy();
  }

  @Override
  public boolean ready() {
    return stage != null && stage.ready();
  }

  @Override
  public List<String> notReady() {
    return stage == null ? List.of(MODULE) : stage.waitingFor();
  }

  @Override
  public void close() {
    if (stage != null) {
      stage.close();
    }
    closeQuietly(fetcher);
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

  /** What the segmenter does in each transaction, and when partitions come, go or start again. */
  private final class Segmenting implements StageProcessor<EncodedPacket> {
    /** Everything the segmenter does follows a packet; nothing is done by the clock. */
    @Override
    public boolean idle() {
      return true;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> process(ConsumerRecords<String, EncodedPacket> records,
                                                          Producer<String, SpecificRecord> out) {
      if (records.isEmpty()) {
        return Map.of();
      }
      producer = out;
      wrote = false;
      pendingPlaylists.clear();
      for (TopicPartition tp : records.partitions()) {
        PartitionProgress progress = partitions.computeIfAbsent(tp, p -> new PartitionProgress(ResumeNote.empty()));
        Emitter emitter = emitterFor(tp);
        for (ConsumerRecord<String, EncodedPacket> record : records.records(tp)) {
          handle(tp, progress, record, emitter);
          progress.processed(record.offset());
        }
      }
      // A playlist's place in capstan.files goes into the note committed with the offsets.
      producer.flush();
      try {
        for (PendingPlaylist p : pendingPlaylists) {
          RecordMetadata md = p.sent().get();
          partitions.get(p.source()).playlistWritten(p.output(), new FileRef(md.partition(), md.offset()));
        }
      } catch (ExecutionException e) {
        throw e.getCause() instanceof KafkaException k ? k : new KafkaException("a playlist was not written", e);
      } catch (InterruptedException e) {
        throw new InterruptException(e);
      } finally {
        pendingPlaylists.clear();
      }
      // Most packets end no slice: the offset stays at the slice's start and the note as it was. Sending
      // them again would cost the broker a transaction (four requests, a marker, three log appends) to
      // change nothing; a transaction with no output and no offsets never reaches it. With output, the
      // offsets go along all the same: they are what fences a zombie owner's output.
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (TopicPartition tp : records.partitions()) {
        PartitionProgress progress = partitions.get(tp);
        long commit = progress.committable();
        if (commit >= 0) {
          String note = progress.noteFor(commit).encode(noteMaxChars);
          if (wrote || !progress.isCommitted(commit, note)) {
            offsets.put(tp, new OffsetAndMetadata(commit, note));
          }
        }
      }
      return offsets;
    }

    @Override
    public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
      offsets.forEach((tp, om) -> partitions.get(tp).committed(om.offset(), om.metadata()));
    }

    @Override
    public void assigned(Map<TopicPartition, OffsetAndMetadata> committed) {
      startFrom(committed);
    }

    /** Forgets what was in memory; the records come again from the committed offsets and their notes. */
    @Override
    public void reset(Map<TopicPartition, OffsetAndMetadata> committed) {
      startFrom(committed);
    }

    /**
     * Transactions commit before the next poll, so nothing is open here: the slices in progress of
     * these partitions are simply dropped; the new owner makes them again from the committed offset.
     */
    @Override
    public void revoked(Collection<TopicPartition> revoked) {
      for (TopicPartition tp : revoked) {
        pushes.closePartition(tp.partition());
        PartitionProgress gone = partitions.remove(tp);
        if (gone != null) {
          gone.close();
        }
      }
    }

    @Override
    public void stopped() {
      partitions.values().forEach(PartitionProgress::close);
      partitions.clear();
    }
  }

  private void startFrom(Map<TopicPartition, OffsetAndMetadata> committed) {
    committed.forEach((tp, om) -> {
      PartitionProgress progress =
          new PartitionProgress(om == null ? ResumeNote.empty() : ResumeNote.decode(om.metadata()));
      if (om != null) {
        progress.foundCommitted(om.offset(), om.metadata());
      }
      PartitionProgress old = partitions.put(tp, progress);
      if (old != null) {
        old.close();
      }
    });
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
        Optional<JobSpec> spec = jobs.current(jobId, jobWait);
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
        wrote = true;
        producer.send(new ProducerRecord<>(Topics.FILES.name(), chunk.getJobId(), chunk));
      }

      @Override
      public void playlist(OutputKey output, FileChunk chunk) {
        wrote = true;
        pendingPlaylists.add(new PendingPlaylist(source, output,
            producer.send(new ProducerRecord<>(Topics.FILES.name(), chunk.getJobId(), chunk))));
      }

      @Override
      public void event(RecordingEvent event) {
        wrote = true;
        Events.send(producer, event);
      }
    };
  }

  private void reportError(Emitter emitter, String jobId, JobSegmenter job, String message) {
    RecordingEvent event = Events.of(jobId, "", "", Events.error(MODULE, 1, message));
    emitter.event(event);
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
