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
import io.capstan.schemas.SnapshotConfig;
import io.capstan.schemas.SnapshotFile;
import io.capstan.schemas.StreamMode;
import io.capstan.schemas.StreamTypes;
import io.capstan.segmenter.files.FileChunks;
import io.capstan.segmenter.hls.HlsOutput;
import io.capstan.segmenter.hls.SegmentType;
import io.capstan.segmenter.hls.Slice;
import io.capstan.segmenter.mp4.Mp4Chunk;
import io.capstan.segmenter.mp4.Mp4Output;
import io.capstan.segmenter.mux.Mp4Muxer;
import io.capstan.segmenter.naming.FileNames;
import io.capstan.segmenter.naming.HlsNames;
import io.capstan.segmenter.naming.TrackSet;
import io.capstan.segmenter.playlist.MediaPlaylist;
import io.capstan.segmenter.post.PostOutputs;
import io.capstan.segmenter.snapshot.KeyframeJpeg;
import io.capstan.segmenter.snapshot.UidSnapshots;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The segmenter's work for one job: routes its packets to its outputs and emits slices,
 * playlists, MP4 files, snapshots, END_OF_FILES, SliceStart and SnapshotFile events.
 *
 * <p>HLS outputs: a composite (or web) job has one, uid "", with the tracks of its streamTypes. An
 * individual job has, per uid, separate audio and video outputs (each only if streamTypes records
 * it), and in streamMode STANDARD with both recorded also a merged audio-and-video output, as Agora
 * documents standard mode; none when avFileType names no "hls" (a snapshot-only job).
 *
 * <p>Names: a web job's files are named like a composite's, with its cname made safe for a file
 * name and its MP4 files {@code <sid>_<cname>_<n>.mp4} (no UTC), as the reference names them.
 *
 * <p>MP4: when the job's avFileType names "mp4", the composite output also makes MP4 files
 * (individual jobs make none: their MP4 is the reference's postponed transcoding, not done here).
 * Snapshots: an individual job with a snapshot config has, per uid with video, a snapshot output.
 *
 * <p>EndOfJob with uid "" ends every output and the job's files (END_OF_FILES); EndOfJob with a
 * participant uid ends that uid's outputs only. Discontinuity breaks the outputs of its uid ("":
 * all): the next HLS slice is marked, the MP4 file ends.
 *
 * <p>Holds native memory while MP4 files or snapshots are in progress: {@link #close()} frees it
 * (an ended job has freed it already).
 */
public final class JobSegmenter implements AutoCloseable {

  /** The reference's default maxFileDuration, for a spec that has none. */
  static final int DEFAULT_MP4_MINUTES = 120;

  private final JobSpec spec;
  private final Outputs kit;
  private final Emitter emitter;
  private final Function<OutputKey, Optional<Resumed>> resume;
  private final Map<OutputKey, HlsOutput> outputs = new LinkedHashMap<>();
  private final Map<OutputKey, Mp4Output> mp4s = new LinkedHashMap<>();
  private final Map<OutputKey, UidSnapshots> snapshots = new LinkedHashMap<>();
  private final Map<OutputKey, Long> skipBelow = new LinkedHashMap<>();
  private long lastOffset = -1;
  private boolean ended;

  /** HLS (MPEG-TS) with {@code muxer}, MP4 and snapshots with FFmpeg, the job's own MP4 length. */
  public JobSegmenter(JobSpec spec, io.capstan.segmenter.hls.SliceMuxer muxer, Emitter emitter,
                      Function<OutputKey, Optional<Resumed>> resume) {
    this(spec, new Outputs(muxer, SegmentType.MPEGTS, Mp4Muxer::new, KeyframeJpeg::new, 0, FileChunks.MAX_CHUNK_BYTES),
        emitter, resume);
  }

  public JobSegmenter(JobSpec spec, Outputs kit, Emitter emitter, Function<OutputKey, Optional<Resumed>> resume) {
    this.spec = spec;
    this.kit = kit;
    this.emitter = emitter;
    this.resume = resume;
  }

  /** The production kit: MPEG-TS slices, fragmented MP4, mjpeg snapshots. */
  public static Outputs ffmpeg(int mp4MaxSeconds) {
    return ffmpeg(SegmentType.MPEGTS, mp4MaxSeconds);
  }

  /** The production kit with HLS slices of {@code hlsType}. */
  public static Outputs ffmpeg(SegmentType hlsType, int mp4MaxSeconds) {
    return new Outputs(hlsType.muxer(), hlsType, Mp4Muxer::new, KeyframeJpeg::new, mp4MaxSeconds,
        FileChunks.MAX_CHUNK_BYTES);
  }

  public String jobId() {
    return spec.getJobId();
  }

  public boolean ended() {
    return ended;
  }

  /** The HLS outputs. */
  public Map<OutputKey, HlsOutput> outputs() {
    return outputs;
  }

  /** Every output: HLS, MP4 and snapshots. */
  public List<OutputKey> outputKeys() {
    List<OutputKey> keys = new ArrayList<>(outputs.keySet());
    keys.addAll(mp4s.keySet());
    keys.addAll(snapshots.keySet());
    return keys;
  }

  /** Offset of the earliest record of a file still in progress, or -1. */
  public long pendingOffset() {
    long hls = outputs.values().stream().mapToLong(HlsOutput::pendingOffset).filter(o -> o >= 0).min().orElse(-1);
    long mp4 = mp4s.values().stream().mapToLong(Mp4Output::pendingOffset).filter(o -> o >= 0).min().orElse(-1);
    return hls < 0 ? mp4 : mp4 < 0 ? hls : Math.min(hls, mp4);
  }

  /** Offset from which {@code key}'s records are new to it (records before it are in written files). */
  public long resumeOffset(OutputKey key) {
    long pending = switch (key.kind()) {
      case HLS -> outputs.containsKey(key) ? outputs.get(key).pendingOffset() : -1;
      case MP4 -> mp4s.containsKey(key) ? mp4s.get(key).pendingOffset() : -1;
      case SNAPSHOT -> -1;
    };
    if (pending >= 0) {
      return pending;
    }
    return Math.max(lastOffset + 1, skipBelow.getOrDefault(key, 0L));
  }

  /** True when {@code key}'s next slice follows a break. */
  public boolean pendingDiscontinuity(OutputKey key) {
    HlsOutput output = outputs.get(key);
    return output != null && output.pendingDiscontinuity();
  }

  /** The state a new owner of {@code key} needs (see ResumeNote.OutputNote#carry). */
  public long carry(OutputKey key) {
    return switch (key.kind()) {
      case HLS -> outputs.containsKey(key) ? outputs.get(key).videoOutBelow() : 0;
      case MP4 -> mp4s.containsKey(key) ? mp4s.get(key).pendingIndex() : 0;
      case SNAPSHOT -> snapshots.containsKey(key) ? snapshots.get(key).nextDueUs() : UidSnapshots.UNSCHEDULED;
    };
  }

  public void onRecord(EncodedPacket record, long offset) {
    lastOffset = Math.max(lastOffset, offset);
    if (ended) {
      return;
    }
    Object body = record.getBody();
    if (body instanceof Packet packet) {
      for (OutputKey key : keysFor(record.getUid())) {
        open(key);
        if (offset >= skipBelow.getOrDefault(key, 0L)) {
          route(key, packet, offset);
        }
      }
    } else if (body instanceof Discontinuity) {
      for (OutputKey key : outputsOf(record.getUid())) {
        if (offset < skipBelow.getOrDefault(key, 0L)) {
          continue;
        }
        if (outputs.containsKey(key)) {
          HlsOutput output = outputs.get(key);
          output.breakHere().ifPresent(slice -> emitSlice(key, output, slice));
        } else if (mp4s.containsKey(key)) {
          emitMp4(key, mp4s.get(key).breakHere());
        }
      }
    } else if (body instanceof EndOfJob) {
      boolean wholeJob = record.getUid().isEmpty();
      for (OutputKey key : outputsOf(record.getUid())) {
        end(key);
      }
      if (wholeJob) {
        emitter.file(FileChunks.endOfFiles(spec.getJobId()));
        ended = true;
        close();
      }
    }
  }

  @Override
  public void close() {
    mp4s.values().forEach(Mp4Output::close);
    snapshots.values().forEach(UidSnapshots::close);
  }

  private void route(OutputKey key, Packet packet, long offset) {
    switch (key.kind()) {
      case HLS -> {
        HlsOutput output = outputs.get(key);
        if (output.accepts(packet.getKind())) {
          output.accept(packet, offset).ifPresent(slice -> emitSlice(key, output, slice));
        }
      }
      case MP4 -> emitMp4(key, mp4s.get(key).accept(packet, offset));
      case SNAPSHOT -> snapshots.get(key).accept(packet).ifPresent(taken -> emitSnapshot(key, taken));
    }
  }

  private void end(OutputKey key) {
    switch (key.kind()) {
      case HLS -> {
        HlsOutput output = outputs.get(key);
        if (!output.ended()) {
          Optional<Slice> last = output.end();
          last.ifPresent(slice -> emitSlice(key, output, slice));
          if (last.isEmpty() && !output.playlist().isEmpty()) {
            emitPlaylist(key, output);
          }
        }
      }
      case MP4 -> {
        Mp4Output mp4 = mp4s.get(key);
        emitMp4(key, mp4.end());
        mp4.close();
      }
      case SNAPSHOT -> snapshots.get(key).close();
    }
  }

  /** The open outputs a control record of {@code uid} concerns; "" (job level) means all. */
  private List<OutputKey> outputsOf(String uid) {
    List<OutputKey> keys = new ArrayList<>();
    for (OutputKey key : outputKeys()) {
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
    String jobId = spec.getJobId();
    if (PostOutputs.singleFile(spec)) {
      // Postponed transcoding and audio mix: one file of the composite, no HLS.
      return List.of(new OutputKey(jobId, uid, all, OutputKind.MP4));
    }
    List<OutputKey> keys = new ArrayList<>();
    // A snapshot-only job (avFileType []) has no HLS output: snapshots only, as the reference's screenshot recording.
    boolean hls = wantsHls();
    if (hls && (!individual || all != TrackSet.AV)) {
      keys.add(new OutputKey(jobId, uid, all));
    } else if (hls) {
      keys.add(new OutputKey(jobId, uid, TrackSet.AUDIO));
      keys.add(new OutputKey(jobId, uid, TrackSet.VIDEO));
      if (spec.getStreamMode() == StreamMode.STANDARD) {
        // The reference's standard mode: the merged file besides the audio-only and video-only ones.
        keys.add(new OutputKey(jobId, uid, TrackSet.AV));
      }
    }
    if (!individual && wantsMp4()) {
      keys.add(new OutputKey(jobId, uid, all, OutputKind.MP4));
    }
    if (individual && spec.getSnapshots() != null && all.hasVideo()) {
      keys.add(new OutputKey(jobId, uid, TrackSet.VIDEO, OutputKind.SNAPSHOT));
    }
    return keys;
  }

  private boolean wantsHls() {
    return spec.getFiles().getAvFileType().stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).equals("hls"));
  }

  private boolean wantsMp4() {
    return spec.getFiles().getAvFileType().stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).equals("mp4"));
  }

  private void open(OutputKey key) {
    if (outputs.containsKey(key) || mp4s.containsKey(key) || snapshots.containsKey(key)) {
      return;
    }
    Optional<Resumed> resumed = resume.apply(key);
    resumed.ifPresent(r -> skipBelow.put(key, r.resumeOffset()));
    switch (key.kind()) {
      case HLS -> outputs.put(key, openHls(key, resumed));
      case MP4 -> {
        int minutes = spec.getFiles().getMaxFileDurationMinutes() > 0 ? spec.getFiles().getMaxFileDurationMinutes()
            : DEFAULT_MP4_MINUTES;
        int maxSeconds = kit.mp4MaxSeconds() > 0 ? kit.mp4MaxSeconds() : minutes * 60;
        int firstIndex = resumed.map(r -> (int) r.carry()).orElse(0);
        if (PostOutputs.singleFile(spec)) {
          mp4s.put(key, PostOutputs.output(spec, key.tracks(), firstIndex, kit.chunkBytes()));
          break;
        }
        boolean web = spec.getMode() == RecordingMode.WEB;
        mp4s.put(key, new Mp4Output((utcMs, n) -> web ? FileNames.webMp4(spec.getJobId(), spec.getChannel(), n)
            : FileNames.compositeMp4(spec.getJobId(), spec.getChannel(), utcMs, n),
            key.tracks(), maxSeconds * 1_000_000L, spec.getStartedUtcMs(), firstIndex, kit.chunkBytes(), kit.mp4()));
      }
      case SNAPSHOT -> {
        SnapshotConfig config = spec.getSnapshots();
        long nextDue = resumed.map(Resumed::carry).orElse(UidSnapshots.UNSCHEDULED);
        long intervalUs = Math.max(1, config.getCaptureIntervalSeconds()) * 1_000_000L;
        snapshots.put(key, new UidSnapshots(intervalUs, nextDue, kit.jpegs()));
      }
    }
  }

  private HlsOutput openHls(OutputKey key, Optional<Resumed> resumed) {
    // A web recording's names carry its cname made safe for a file name (the reference's rule).
    String cname = spec.getMode() == RecordingMode.WEB ? FileNames.webCname(spec.getChannel()) : spec.getChannel();
    HlsNames names = key.uid().isEmpty() ? HlsNames.composite(spec.getJobId(), cname)
        : HlsNames.individual(spec.getJobId(), spec.getChannel(), key.uid(), key.tracks());
    int sliceSeconds = spec.getFiles().getSliceSeconds();
    SegmentType type = kit.hlsType();
    if (type != SegmentType.MPEGTS) {
      names = names.withSliceExtension(type.extension());
    }
    return new HlsOutput(names, key.tracks(), sliceSeconds, spec.getStartedUtcMs(), kit.slices(),
        resumed.map(Resumed::playlist).orElseGet(MediaPlaylist::new), resumed.map(Resumed::discontinuity).orElse(false),
        type, resumed.map(Resumed::carry).orElse(0L));
  }

  private void emitSlice(OutputKey key, HlsOutput output, Slice slice) {
    if (slice.init() != null) {
      // An fMP4 init segment goes out before the first slice that names it.
      FileChunks.split(new FileChunks.FileInfo(spec.getJobId(), slice.initName(), FileKind.SLICE, key.uid(),
          key.tracks().trackType(), slice.startUtcMs(), 0), slice.init()).forEach(emitter::file);
    }
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
          .setTrackType(key.tracks().trackType())
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

  private void emitMp4(OutputKey key, List<Mp4Chunk> chunks) {
    for (Mp4Chunk c : chunks) {
      emitter.file(io.capstan.schemas.FileChunk.newBuilder()
          .setJobId(spec.getJobId())
          .setFileName(c.fileName())
          .setKind(PostOutputs.singleFile(spec) ? PostOutputs.fileKind(spec) : FileKind.MP4)
          .setOffset(c.offset())
          .setLast(c.last())
          .setData(ByteBuffer.wrap(c.data()))
          .setUid(key.uid())
          .setTrackType(key.tracks().trackType())
          .setStartUtcMs(c.startUtcMs())
          .setDurationSeconds(c.durationSeconds())
          .build());
    }
  }

  private void emitSnapshot(OutputKey key, UidSnapshots.Taken taken) {
    long utcMs = spec.getStartedUtcMs() + Math.floorDiv(taken.ptsUs(), 1000);
    String name = FileNames.snapshot(spec.getJobId(), spec.getChannel(), key.uid(), utcMs);
    FileChunks.FileInfo info = new FileChunks.FileInfo(spec.getJobId(), name, FileKind.SNAPSHOT, key.uid(),
        TrackSet.VIDEO.trackType(), utcMs, 0);
    FileChunks.split(info, taken.snapshot().jpeg()).forEach(emitter::file);
    // The event names the file as the store has it, "<fileNamePrefix>/<name>", as Agora's does.
    List<String> prefix = spec.getStorage() == null ? List.of() : spec.getStorage().getFileNamePrefix();
    String stored = prefix.isEmpty() ? name : String.join("/", prefix) + "/" + name;
    emitter.event(Events.of(spec, SnapshotFile.newBuilder().setFileName(stored).build()));
  }
}
