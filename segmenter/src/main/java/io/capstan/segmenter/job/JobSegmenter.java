package io.capstan.segmenter.job;

import io.capstan.runtime.events.Events;
import io.capstan.schemas.Discontinuity;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Packet;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SliceStart;
import io.capstan.schemas.StreamMode;
import io.capstan.schemas.StreamTypes;
import io.capstan.segmenter.files.FileChunks;
import io.capstan.segmenter.hls.HlsOutput;
import io.capstan.segmenter.hls.Slice;
import io.capstan.segmenter.hls.SliceMuxer;
import io.capstan.segmenter.naming.HlsNames;
import io.capstan.segmenter.naming.TrackSet;
import io.capstan.segmenter.playlist.MediaPlaylist;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The segmenter's work for one job: routes its packets to its HLS outputs and emits slices,
 * playlists, END_OF_FILES and SliceStart events.
 *
 * <p>Outputs: a composite (or web) job has one, uid "", with the tracks of its streamTypes. An
 * individual job has, per uid, one audio-and-video output in streamMode STANDARD and otherwise
 * separate audio and video outputs (each only if streamTypes records it).
 *
 * <p>EndOfJob with uid "" ends every output and the job's files (END_OF_FILES); EndOfJob with a
 * participant uid ends that uid's outputs only.
 */
public final class JobSegmenter {

  private final JobSpec spec;
  private final SliceMuxer muxer;
  private final Emitter emitter;
  private final Function<OutputKey, Optional<Resumed>> resume;
  private final Map<OutputKey, HlsOutput> outputs = new LinkedHashMap<>();
  private final Map<OutputKey, Long> skipBelow = new LinkedHashMap<>();
  private long lastOffset = -1;
  private boolean ended;

  public JobSegmenter(JobSpec spec, SliceMuxer muxer, Emitter emitter,
                      Function<OutputKey, Optional<Resumed>> resume) {
    this.spec = spec;
    this.muxer = muxer;
    this.emitter = emitter;
    this.resume = resume;
  }

  public String jobId() {
    return spec.getJobId();
  }

  public boolean ended() {
    return ended;
  }

  public Map<OutputKey, HlsOutput> outputs() {
    return outputs;
  }

  /** Offset of the earliest record of a slice still in progress, or -1. */
  public long pendingOffset() {
    return outputs.values().stream().mapToLong(HlsOutput::pendingOffset).filter(o -> o >= 0).min().orElse(-1);
  }

  /** Offset from which {@code key}'s records are new to it (records before it are in written slices). */
  public long resumeOffset(OutputKey key) {
    HlsOutput output = outputs.get(key);
    if (output != null && output.pendingOffset() >= 0) {
      return output.pendingOffset();
    }
    return Math.max(lastOffset + 1, skipBelow.getOrDefault(key, 0L));
  }

  public void onRecord(EncodedPacket record, long offset) {
    lastOffset = Math.max(lastOffset, offset);
    if (ended) {
      return;
    }
    Object body = record.getBody();
    if (body instanceof Packet packet) {
      for (OutputKey key : keysFor(record.getUid())) {
        outputs.computeIfAbsent(key, this::open);
        if (offset >= skipBelow.getOrDefault(key, 0L)) {
          HlsOutput output = outputs.get(key);
          if (output.accepts(packet.getKind())) {
            output.accept(packet, offset).ifPresent(slice -> emitSlice(key, output, slice));
          }
        }
      }
    } else if (body instanceof Discontinuity) {
      for (OutputKey key : outputsOf(record.getUid())) {
        if (offset >= skipBelow.getOrDefault(key, 0L)) {
          HlsOutput output = outputs.get(key);
          output.breakHere().ifPresent(slice -> emitSlice(key, output, slice));
        }
      }
    } else if (body instanceof EndOfJob) {
      boolean wholeJob = record.getUid().isEmpty();
      for (OutputKey key : outputsOf(record.getUid())) {
        HlsOutput output = outputs.get(key);
        if (!output.ended()) {
          Optional<Slice> last = output.end();
          last.ifPresent(slice -> emitSlice(key, output, slice));
          if (last.isEmpty() && !output.playlist().isEmpty()) {
            emitPlaylist(key, output);
          }
        }
      }
      if (wholeJob) {
        emitter.file(FileChunks.endOfFiles(spec.getJobId()));
        ended = true;
      }
    }
  }

  /** The open outputs a control record of {@code uid} concerns; "" (job level) means all. */
  private List<OutputKey> outputsOf(String uid) {
    List<OutputKey> keys = new ArrayList<>();
    for (OutputKey key : outputs.keySet()) {
      if (uid.isEmpty() || key.uid().equals(uid)) {
        keys.add(key);
      }
    }
    return keys;
  }

  private List<OutputKey> keysFor(String uid) {
    boolean individual = spec.getMode() == RecordingMode.INDIVIDUAL;
    if (individual == uid.isEmpty()) {
      // Composite packets carry uid ""; individual packets a participant uid. Anything else is not ours.
      return List.of();
    }
    StreamTypes types = spec.getStreamTypes();
    TrackSet all = switch (types) {
      case AUDIO_ONLY -> TrackSet.AUDIO;
      case VIDEO_ONLY -> TrackSet.VIDEO;
      case AUDIO_AND_VIDEO -> TrackSet.AV;
    };
    if (!individual || spec.getStreamMode() == StreamMode.STANDARD || all != TrackSet.AV) {
      return List.of(new OutputKey(spec.getJobId(), uid, all));
    }
    return List.of(new OutputKey(spec.getJobId(), uid, TrackSet.AUDIO), new OutputKey(spec.getJobId(), uid, TrackSet.VIDEO));
  }

  private HlsOutput open(OutputKey key) {
    HlsNames names = key.uid().isEmpty() ? HlsNames.composite(spec.getJobId(), spec.getChannel())
        : HlsNames.individual(spec.getJobId(), spec.getChannel(), key.uid(), key.tracks());
    int sliceSeconds = spec.getFiles().getSliceSeconds();
    Optional<Resumed> resumed = resume.apply(key);
    if (resumed.isPresent()) {
      skipBelow.put(key, resumed.get().resumeOffset());
      return new HlsOutput(names, key.tracks(), sliceSeconds, spec.getStartedUtcMs(), muxer,
          resumed.get().playlist(), resumed.get().discontinuity());
    }
    return new HlsOutput(names, key.tracks(), sliceSeconds, spec.getStartedUtcMs(), muxer);
  }

  private void emitSlice(OutputKey key, HlsOutput output, Slice slice) {
    FileChunks.FileInfo info = new FileChunks.FileInfo(spec.getJobId(), slice.fileName(), FileKind.SLICE, key.uid(),
        key.tracks().trackType(), slice.startUtcMs(), slice.durationSeconds());
    FileChunks.split(info, slice.data()).forEach(emitter::file);
    emitPlaylist(key, output);
    if (slice.index() == 0) {
      boolean mixed = key.uid().isEmpty();
      emitter.event(Events.of(spec, SliceStart.newBuilder()
          .setStartUtcMs(slice.startUtcMs())
          .setMixedAllUser(mixed)
          .setStreamUid(mixed ? "" : key.uid())
          .setTrackType(mixed ? "" : key.tracks().trackType())
          .build()));
    }
  }

  private void emitPlaylist(OutputKey key, HlsOutput output) {
    MediaPlaylist playlist = output.playlist();
    long firstUtcMs = playlist.entries().get(0).programDateTimeUtcMs();
    FileChunks.FileInfo info = new FileChunks.FileInfo(spec.getJobId(), output.names().playlist(), FileKind.PLAYLIST,
        key.uid(), key.tracks().trackType(), firstUtcMs, playlist.durationUs() / 1_000_000.0);
    for (var chunk : FileChunks.split(info, playlist.render().getBytes(StandardCharsets.UTF_8))) {
      emitter.playlist(key, chunk);
    }
  }
}
