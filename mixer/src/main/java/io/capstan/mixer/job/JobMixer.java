package io.capstan.mixer.job;

import io.capstan.mixer.audio.AudioMixer;
import io.capstan.mixer.audio.Pcm;
import io.capstan.mixer.compositor.Compositor;
import io.capstan.mixer.compositor.SourcePicture;
import io.capstan.mixer.encoder.AudioEncoder;
import io.capstan.mixer.encoder.VideoEncoder;
import io.capstan.mixer.handover.InputNeeds;
import io.capstan.mixer.handover.ResumePoint;
import io.capstan.mixer.image.ImageCache;
import io.capstan.mixer.layout.Region;
import io.capstan.mixer.metrics.MixerMetrics;
import io.capstan.mixer.timeline.EventClock;
import io.capstan.mixer.timeline.OutputTimeline;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.Discontinuity;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.LayoutChange;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Packet;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.StreamTypes;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.VideoFrame;
import io.capstan.schemas.Watermark;
import io.capstan.schemas.serde.AvroTrust;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composite output of one job: takes the job's capstan.frames records in order and, as far
 * as the {@link EventClock} allows, composes video frames at n * 1e6 / fps and AAC blocks of 1024
 * samples, encodes them and hands the packets (uid "") to {@code output} in time order. At
 * EndOfJob it finishes the output up to the end, flushes the encoders and ends with an EndOfJob
 * packet. Holds native memory: close it.
 */
public final class JobMixer implements MixJob {

  private static final Logger log = LoggerFactory.getLogger(JobMixer.class);
  private static final Comparator<UidTrack> JOIN_ORDER = Comparator.<UidTrack>comparingLong(t -> t.joinOrder)
      .thenComparingLong(t -> t.joinedUs).thenComparing(t -> t.uid);
  /** Audio packets of the two owners meet within this (different encoders round alike, but not always). */
  private static final long TAKEOVER_TOLERANCE_US = 1_000;

  static {
    // Default Layout values hold generated records, which Avro builds only for trusted classes.
    AvroTrust.install();
  }

  public record Options(String x264Preset, int x264Threads, long jitterMs, long maxJitterMs, int maxPendingFrames) {
  }

  private final JobSpec spec;
  private final Options options;
  private final Consumer<EncodedPacket> output;
  private final boolean mayResume;
  /** Where a previous owner's committed output ended; null when this owner starts the output. */
  private final ResumePoint takeOver;
  private final boolean video;
  private final boolean audio;
  private final int width;
  private final int height;
  private final int bitrateKbps;
  private final OutputTimeline timeline;
  private final EventClock clock;
  private final Map<String, UidTrack> tracks = new LinkedHashMap<>();
  /**
   * Tracks of uids that left and joined again before the output reached their leaving: they still
   * show what they had until then (a FAST job hands over a whole stretch of a uid between two
   * outputs steps).
   */
  private final List<UidTrack> departed = new ArrayList<>();
  private final AudioMixer audioMixer;
  private final MixerMetrics metrics;
  private final ImageCache images;
  private final LayoutSchedule layouts;

  private Compositor compositor;
  private VideoEncoder videoEncoder;
  private io.capstan.mixer.encoder.BlockEncoder audioEncoder;
  private boolean started;
  private boolean sawRecord;
  private Long resumeAtUs;
  private long nextFrame;
  private long nextSample;
  private boolean firstFrame = true;
  private long endUs = Long.MIN_VALUE;
  private EndOfJob endOfJob;
  private boolean finished;
  private long framesComposed;
  /** The first video frame and the audio time no packet handed out holds yet. */
  private long nextVideoToEmit;
  private long audioEmittedUs;
  /** Audio packets before this time were emitted by the previous owner (the new encoder's priming). */
  private long dropAudioBeforeUs = Long.MIN_VALUE;
  /** The time of the last composed frame: a video frame at or before it arrives too late to be shown. */
  private long lastComposedUs = Long.MIN_VALUE;

  /**
   * @param mayResume true when the job's partition was consumed before (by this group): a job
   *                  whose first record is mid-stream is then a restart, not a new job
   */
  public JobMixer(JobSpec spec, Options options, Consumer<EncodedPacket> output, boolean mayResume) {
    this(spec, options, output, mayResume, JobHooks.discard());
  }

  public JobMixer(JobSpec spec, Options options, Consumer<EncodedPacket> output, boolean mayResume,
                  JobHooks hooks) {
    this(spec, options, output, mayResume, null, hooks);
  }

  /**
   * @param takeOver where the previous owner's committed output ended (from the commit's
   *                 {@link io.capstan.mixer.handover.HandoverNote}): the output goes on exactly there
   */
  public JobMixer(JobSpec spec, Options options, Consumer<EncodedPacket> output, boolean mayResume,
                  ResumePoint takeOver, JobHooks hooks) {
    this.spec = spec;
    this.takeOver = takeOver;
    this.metrics = hooks.metrics();
    this.options = options;
    this.output = output;
    this.mayResume = mayResume;
    Transcoding t = spec.getTranscoding() != null ? spec.getTranscoding()
        : Transcoding.newBuilder().setLayout(Layout.newBuilder().build()).build();
    this.width = Math.max(2, t.getWidth() & ~1);
    this.height = Math.max(2, t.getHeight() & ~1);
    this.bitrateKbps = Math.max(50, t.getBitrateKbps());
    int sliceSeconds = spec.getFiles() == null ? 10 : Math.max(1, spec.getFiles().getSliceSeconds());
    this.timeline = new OutputTimeline(Math.max(1, Math.min(60, t.getFps())), sliceSeconds);
    this.clock = new EventClock(spec.getPacing() != Pacing.FAST, options.jitterMs(), options.maxJitterMs());
    this.video = spec.getStreamTypes() != StreamTypes.AUDIO_ONLY;
    this.audio = spec.getStreamTypes() != StreamTypes.VIDEO_ONLY;
    this.audioMixer = new AudioMixer(AudioEncoder.channelsOf(spec.getAudioProfile()));
    this.images = new ImageCache(hooks.images(), width, height, hooks.warnings());
    this.layouts = new LayoutSchedule(width, height, t.getLayout(), images);
  }

  @Override
  public String jobId() {
    return spec.getJobId();
  }

  @Override
  public boolean finished() {
    return finished;
  }

  public long framesComposed() {
    return framesComposed;
  }

  @Override
  public void accept(MediaRecord record, long nowMs) {
    if (finished) {
      return;
    }
    long ts = record.getTimestampUs();
    String uid = record.getUid() == null ? "" : record.getUid();
    Object body = record.getBody();
    if (!sawRecord) {
      sawRecord = true;
      if (IncomingRecords.resumesMidStream(record, mayResume)) {
        resumeAtUs = ts;
      }
    }
    if (body instanceof VideoFrame frame) {
      IncomingRecords.check(frame);
      UidTrack track = track(uid, ts);
      if (track != null && ts <= lastComposedUs) {
        metrics.lateVideo();
        clock.late(ts, nowMs);
      } else if (track != null) {
        metrics.droppedAhead(track.video(ts, frame));
      }
    } else if (body instanceof AudioFrame a) {
      IncomingRecords.check(a);
      if (track(uid, ts) != null && !audioMixer.add(uid, OutputTimeline.nearestSample(ts),
          Pcm.fromLittleEndian(a.getSamples()), a.getSampleRate(), a.getChannels())) {
        metrics.lateAudio();
        clock.late(ts, nowMs);
      }
    } else if (body instanceof Watermark) {
      UidTrack track = track(uid, ts);
      if (track != null) {
        track.watermark(ts);
      }
    } else if (body instanceof StreamState state) {
      streamState(uid, ts, state);
    } else if (body instanceof LayoutChange change) {
      layouts.schedule(ts, change.getLayout());
    } else if (body instanceof EndOfJob end) {
      endUs = Math.max(ts, 0);
      endOfJob = end;
    } else if (body instanceof Discontinuity d) {
      log.info("job {}: upstream discontinuity at {} us ({})", jobId(), ts, d.getReason());
    }
    UidTrack placed = record.getJoinOrder() > 0 ? tracks.get(uid) : null;
    if (placed != null) {
      placed.joinOrder = record.getJoinOrder();
    }
    clock.leader(ts, nowMs);
  }

  private void streamState(String uid, long ts, StreamState state) {
    if (uid.isEmpty()) {
      return;
    }
    switch (state.getState()) {
      case JOINED -> {
        UidTrack existing = tracks.get(uid);
        if (existing != null && existing.waitedFor()) {
          existing.watermark(ts);
          return;
        }
        if (existing != null) {
          // rejoined after leaving: a new place at the end of the join order; the old stretch
          // stays until the output has passed it
          departed.add(tracks.remove(uid));
        }
        tracks.put(uid, new UidTrack(uid, ts, options.maxPendingFrames()));
      }
      case LEFT -> {
        UidTrack track = tracks.get(uid);
        if (track != null && track.waitedFor()) {
          track.leftUs = Math.max(ts, track.joinedUs);
        }
      }
      case VIDEO_STOPPED -> {
        UidTrack track = tracks.get(uid);
        if (track != null) {
          track.videoStopped(ts);
        }
      }
      default -> {
        // AUDIO_RECEIVING / VIDEO_RECEIVING / AUDIO_STOPPED: the media records say it all
      }
    }
  }

  /** The uid's track; a uid seen without JOINED (e.g. after a restart) joins now. */
  private UidTrack track(String uid, long ts) {
    if (uid.isEmpty()) {
      return null;
    }
    UidTrack track = tracks.get(uid);
    if (track == null) {
      track = new UidTrack(uid, ts, options.maxPendingFrames());
      tracks.put(uid, track);
    } else if (!track.waitedFor() && ts >= track.leftUs) {
      return null;
    }
    return track;
  }

  /** Composes and encodes everything the frontier allows; at the end, flushes and closes the output. */
  @Override
  public void advance(long nowMs) {
    if (finished || !sawRecord) {
      return;
    }
    if (!started) {
      start();
    }
    boolean ending = endUs != Long.MIN_VALUE;
    long frontier = ending ? endUs : clock.frontier(slowestWatermark(), nowMs);
    while (true) {
      long videoAt = video ? timeline.videoTimeUs(nextFrame) : Long.MAX_VALUE;
      long audioAt = audio ? OutputTimeline.audioTimeUs(nextSample) : Long.MAX_VALUE;
      // A watermark W promises nothing below W: a record at W itself may still come, so frame t
      // waits for W > t; an audio block needs every sample before its end, so W >= its end.
      boolean videoReady = video && (ending ? videoAt < endUs : videoAt < frontier);
      boolean audioReady = audio && (ending ? audioAt < endUs
          : OutputTimeline.audioTimeUs(nextSample + AudioEncoder.FRAME_SIZE) <= frontier);
      if (!videoReady && !audioReady) {
        break;
      }
      if (videoReady && (!audioReady || videoAt <= audioAt)) {
        composeVideo(videoAt);
      } else {
        mixAudio();
      }
    }
    forgetDeparted();
    if (ending) {
      finish();
    }
  }

  private long slowestWatermark() {
    long slowest = Long.MAX_VALUE;
    for (UidTrack t : tracks.values()) {
      if (t.waitedFor()) {
        slowest = Math.min(slowest, t.watermarkUs);
      }
    }
    return slowest;
  }

  private void start() {
    started = true;
    long startUs = resumeAtUs == null ? 0 : resumeAtUs;
    nextFrame = timeline.frameAtOrAfter(startUs);
    nextSample = OutputTimeline.sampleAtOrAfter(video ? timeline.videoTimeUs(nextFrame) : startUs);
    audioEmittedUs = OutputTimeline.audioTimeUs(nextSample);
    if (takeOver != null) {
      // Seamless: video from the first frame not committed (an IDR), audio one block earlier so the
      // new encoder is primed with real sound; its packets before the takeover point are dropped.
      nextFrame = Math.max(0, takeOver.videoFrame());
      audioEmittedUs = takeOver.audioUs() >= 0 ? takeOver.audioUs() : timeline.videoTimeUs(nextFrame);
      nextSample = Math.max(0, OutputTimeline.sampleAtOrAfter(audioEmittedUs) - AudioEncoder.FRAME_SIZE);
      dropAudioBeforeUs = audioEmittedUs;
      log.info("job {}: taking over the composite output at video frame {}, audio {} us", jobId(), nextFrame,
          audioEmittedUs);
    } else if (resumeAtUs != null) {
      log.info("job {}: resuming the composite output at {} us after a restart", jobId(), startUs);
      output.accept(EncodedPacket.newBuilder().setJobId(jobId()).setUid("")
          .setTimestampUs(video ? timeline.videoTimeUs(nextFrame) : OutputTimeline.audioTimeUs(nextSample))
          .setBody(Discontinuity.newBuilder().setReason("mixer restarted").build()).build());
    }
    nextVideoToEmit = nextFrame;
    if (video) {
      compositor = new Compositor(width, height);
      videoEncoder = new VideoEncoder(new VideoEncoder.Settings(width, height, timeline.fps(), bitrateKbps,
          spec.getFiles() == null ? 10 : Math.max(1, spec.getFiles().getSliceSeconds()), options.x264Preset(),
          options.x264Threads()));
    }
    if (audio) {
      // AAC of the audioProfile; an audio-mix job's own format, rate and bitrate.
      audioEncoder = io.capstan.mixer.encoder.FormatAudioEncoder.forSpec(spec);
    }
  }

  private void composeVideo(long timeUs) {
    long began = System.nanoTime();
    layouts.advanceTo(timeUs);
    List<String> visible = new ArrayList<>();
    Map<String, SourcePicture> pictures = new LinkedHashMap<>();
    List<UidTrack> all = new ArrayList<>(departed);
    all.addAll(tracks.values());
    // the join order, the same on every mixer (it comes with the records); else when the media came
    all.sort(JOIN_ORDER);
    for (UidTrack t : all) {
      SourcePicture picture = t.pictureAt(timeUs);
      if (t.visibleAt(timeUs)) {
        visible.add(t.uid);
        pictures.put(t.uid, picture);
      }
    }
    List<Region> regions = layouts.regions(visible);
    compositor.compose(regions, pictures::get, layouts.backdrop());
    long composed = System.nanoTime();
    metrics.composed(composed - began);
    boolean idr = firstFrame || timeline.startsSlice(nextFrame);
    firstFrame = false;
    List<Packet> packets = videoEncoder.encode(compositor.canvas().frame(), nextFrame, idr);
    metrics.encodedVideo(System.nanoTime() - composed);
    send(packets);
    lastComposedUs = timeUs;
    nextFrame++;
    framesComposed++;
  }

  private void mixAudio() {
    short[] block = audioMixer.mix(nextSample, AudioEncoder.FRAME_SIZE);
    long began = System.nanoTime();
    List<Packet> packets = audioEncoder.encode(block, nextSample);
    metrics.encodedAudio(System.nanoTime() - began);
    send(packets);
    nextSample += AudioEncoder.FRAME_SIZE;
  }

  /** Uids that left before the output position, with no audio left to mix, are forgotten. */
  @Override
  public Map<String, ResumePoint> emitted() {
    ResumePoint point = resumePoint();
    return point == null ? Map.of() : Map.of("", point);
  }

  private ResumePoint resumePoint() {
    if (!started || finished) {
      return started ? null : takeOver;
    }
    return new ResumePoint(video ? nextVideoToEmit : -1, audio ? audioEmittedUs : -1);
  }

  @Override
  public InputNeeds needs() {
    if (finished) {
      return InputNeeds.NONE;
    }
    ResumePoint point = resumePoint();
    if (point == null) {
      return InputNeeds.ALL;
    }
    long videoFrom = video ? timeline.videoTimeUs(point.videoFrame()) : Long.MAX_VALUE;
    // the successor primes its audio encoder with the block before the takeover point
    long audioFrom = audio ? OutputTimeline.audioTimeUs(
        Math.max(0, OutputTimeline.sampleAtOrAfter(point.audioUs()) - AudioEncoder.FRAME_SIZE)) : Long.MAX_VALUE;
    return new InputNeeds(videoFrom, audioFrom);
  }

  private void forgetDeparted() {
    long videoAt = video ? timeline.videoTimeUs(nextFrame) : Long.MAX_VALUE;
    long audioAt = audio ? OutputTimeline.audioTimeUs(nextSample) : Long.MAX_VALUE;
    long passed = Math.min(videoAt, audioAt);
    for (Iterator<UidTrack> it = departed.iterator(); it.hasNext(); ) {
      UidTrack t = it.next();
      if (t.leftUs < passed) {
        t.close();
        it.remove();
      }
    }
    for (Iterator<UidTrack> it = tracks.values().iterator(); it.hasNext(); ) {
      UidTrack t = it.next();
      if (!t.waitedFor() && t.leftUs < passed && !audioMixer.hasSamplesFrom(t.uid, nextSample)) {
        if (t.droppedFrames() > 0) {
          log.warn("job {}: uid {} had {} video frames dropped (too far ahead of the output)", jobId(), t.uid,
              t.droppedFrames());
        }
        t.close();
        audioMixer.remove(t.uid);
        it.remove();
      }
    }
  }

  private void finish() {
    if (videoEncoder != null) {
      send(videoEncoder.flush());
    }
    if (audioEncoder != null) {
      send(audioEncoder.flush());
    }
    output.accept(EncodedPacket.newBuilder().setJobId(jobId()).setUid("").setTimestampUs(endUs)
        .setBody(EndOfJob.newBuilder().setUtcMs(endOfJob.getUtcMs()).setExitStatus(endOfJob.getExitStatus()).build())
        .build());
    finished = true;
    log.info("job {}: composite output finished at {} us ({} video frames)", jobId(), endUs, framesComposed);
    close();
  }

  private void send(List<Packet> packets) {
    for (Packet p : packets) {
      if (p.getKind() == MediaKind.AUDIO) {
        if (p.getPtsUs() + TAKEOVER_TOLERANCE_US < dropAudioBeforeUs) {
          continue;
        }
        audioEmittedUs = Math.max(audioEmittedUs, p.getPtsUs() + p.getDurationUs());
      } else {
        nextVideoToEmit = Math.max(nextVideoToEmit, timeline.frameAtOrAfter(p.getPtsUs()) + 1);
      }
      output.accept(EncodedPacket.newBuilder().setJobId(jobId()).setUid("").setTimestampUs(p.getDtsUs())
          .setBody(p).build());
    }
  }

  @Override
  public void close() {
    images.close();
    tracks.values().forEach(UidTrack::close);
    tracks.clear();
    departed.forEach(UidTrack::close);
    departed.clear();
    if (compositor != null) {
      compositor.close();
      compositor = null;
    }
    if (videoEncoder != null) {
      videoEncoder.close();
      videoEncoder = null;
    }
    if (audioEncoder != null) {
      audioEncoder.close();
      audioEncoder = null;
    }
  }
}
