package io.capstan.mixer.job;

import io.capstan.mixer.audio.AudioMixer;
import io.capstan.mixer.audio.Pcm;
import io.capstan.mixer.compositor.Backdrop;
import io.capstan.mixer.compositor.Compositor;
import io.capstan.mixer.compositor.YuvColor;
import io.capstan.mixer.encoder.AudioEncoder;
import io.capstan.mixer.encoder.VideoEncoder;
import io.capstan.mixer.handover.InputNeeds;
import io.capstan.mixer.handover.ResumePoint;
import io.capstan.mixer.layout.Region;
import io.capstan.mixer.layout.RenderMode;
import io.capstan.mixer.metrics.MixerMetrics;
import io.capstan.mixer.timeline.EventClock;
import io.capstan.mixer.timeline.OutputTimeline;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.Discontinuity;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.VideoFrame;
import java.util.List;
import java.util.function.Consumer;

/**
 * One participant of an individual job whose media ingest could not pass through: its frames
 * re-encoded to H.264 and/or AAC on its own output (EncodedPacket.uid = the uid). Each kind starts
 * when its first frame arrives (ingest sends frames only for the kinds it cannot pass through);
 * video is then constant rate at n * 1e6 / fps with an IDR at every slice boundary, audio is
 * continuous. Time advances with the uid's own watermark (and, live, the jitter buffer): one slow
 * uid holds back nobody else. LEFT ends a run (encoders flushed); media after it starts a new run
 * behind a Discontinuity.
 *
 * <p>Taking over from another mixer, it goes on exactly where the previous owner's committed output
 * of the uid ended (its {@link ResumePoint}): nothing before it is emitted again, even from records
 * replayed for another job of the partition.
 */
final class UidTranscoder implements AutoCloseable {

  record Settings(int fps, int sliceSeconds, int audioProfile, String x264Preset, int x264Threads, boolean realtime,
                  long jitterMs, long maxJitterMs, int maxPendingFrames) {
  }

  private final String jobId;
  private final String uid;
  private final Settings settings;
  private final Consumer<EncodedPacket> output;
  private final MixerMetrics metrics;
  private final OutputTimeline timeline;
  private EventClock clock;
  private UidTrack track;
  private AudioMixer audioMixer;
  private Compositor compositor;
  private VideoEncoder videoEncoder;
  private AudioEncoder audioEncoder;
  private long nextFrame;
  private long nextSample;
  private boolean firstFrame;
  private long lastComposedUs = Long.MIN_VALUE;
  private boolean discontinuity;
  private boolean produced;
  /** The first video frame and audio time no packet of this uid handed out (here or before a takeover) holds; -1: none yet. */
  private long videoFloor = -1;
  private long audioFloorUs = -1;
  /** Audio packets before this were handed out by the previous owner (the new encoder's priming). */
  private long dropAudioBeforeUs = Long.MIN_VALUE;

  UidTranscoder(String jobId, String uid, Settings settings, Consumer<EncodedPacket> output, MixerMetrics metrics,
                boolean resumed) {
    this(jobId, uid, settings, output, metrics, resumed, null);
  }

  /** @param takeOver where the previous owner's committed output of this uid ended; null: none known */
  UidTranscoder(String jobId, String uid, Settings settings, Consumer<EncodedPacket> output, MixerMetrics metrics,
                boolean resumed, ResumePoint takeOver) {
    this.jobId = jobId;
    this.uid = uid;
    this.settings = settings;
    this.output = output;
    this.metrics = metrics;
    this.timeline = new OutputTimeline(settings.fps(), settings.sliceSeconds());
    // a takeover is seamless (a gap, if any, the segmenter sees by itself)
    this.discontinuity = resumed && takeOver == null;
    if (takeOver != null) {
      videoFloor = takeOver.videoFrame();
      audioFloorUs = takeOver.audioUs();
      dropAudioBeforeUs = takeOver.audioUs();
    }
  }

  private void beginRun(long timeUs) {
    if (track == null) {
      track = new UidTrack(uid, timeUs, settings.maxPendingFrames());
      clock = new EventClock(settings.realtime(), settings.jitterMs(), settings.maxJitterMs());
      audioMixer = new AudioMixer(AudioEncoder.channelsOf(settings.audioProfile()));
    }
  }

  void video(long timeUs, VideoFrame frame, long nowMs) {
    beginRun(timeUs);
    clock.leader(timeUs, nowMs);
    if (timeUs <= lastComposedUs) {
      metrics.lateVideo();
      clock.late(timeUs, nowMs);
      return;
    }
    if (videoEncoder == null) {
      int w = Math.max(2, frame.getWidth() & ~1);
      int h = Math.max(2, frame.getHeight() & ~1);
      compositor = new Compositor(w, h);
      // about 0.1 bit per pixel: the same quality budget as a 640x360@15 composite at ~350 kbps
      int kbps = (int) Math.max(200, (long) w * h * settings.fps() / 10_000);
      videoEncoder = new VideoEncoder(new VideoEncoder.Settings(w, h, settings.fps(), kbps, settings.sliceSeconds(),
          settings.x264Preset(), settings.x264Threads()));
      nextFrame = Math.max(timeline.frameAtOrAfter(timeUs), videoFloor);
      videoFloor = nextFrame;
      firstFrame = true;
    }
    metrics.droppedAhead(track.video(timeUs, frame));
  }

  void audio(long timeUs, AudioFrame a, long nowMs) {
    beginRun(timeUs);
    clock.leader(timeUs, nowMs);
    long start = OutputTimeline.nearestSample(timeUs);
    if (audioEncoder == null) {
      audioEncoder = AudioEncoder.forProfile(settings.audioProfile());
      // after a takeover: primed with the block before the first sound not handed out, whose packet is dropped
      nextSample = audioFloorUs < 0 ? start
          : Math.max(start, OutputTimeline.sampleAtOrAfter(audioFloorUs) - AudioEncoder.FRAME_SIZE);
    }
    if (!audioMixer.add(uid, start, Pcm.fromLittleEndian(a.getSamples()), a.getSampleRate(), a.getChannels())) {
      metrics.lateAudio();
      clock.late(timeUs, nowMs);
    }
  }

  void watermark(long timeUs, long nowMs) {
    if (track != null) {
      track.watermark(timeUs);
      clock.leader(timeUs, nowMs);
    }
  }

  void videoStopped(long timeUs) {
    if (track != null) {
      track.videoStopped(timeUs);
    }
  }

  /** Encodes what the uid's watermark (or the jitter buffer) allows. */
  void advance(long nowMs) {
    if (track != null) {
      produce(clock.frontier(track.watermarkUs, nowMs), Long.MIN_VALUE);
    }
  }

  /** Ends the current run at {@code endUs}: everything before it encoded, the encoders flushed. */
  void stop(long endUs) {
    if (track == null) {
      return;
    }
    produce(Long.MIN_VALUE, endUs);
    if (videoEncoder != null) {
      send(videoEncoder.flush());
    }
    if (audioEncoder != null) {
      send(audioEncoder.flush());
    }
    closeRun();
    discontinuity = discontinuity || produced;
  }

  /** The job's end: the run stopped, then EndOfJob on this uid's output if it had any. */
  void end(long endUs, EndOfJob end) {
    stop(endUs);
    if (produced) {
      output.accept(EncodedPacket.newBuilder().setJobId(jobId).setUid(uid).setTimestampUs(endUs)
          .setBody(EndOfJob.newBuilder(end).build()).build());
    }
  }

  /** Video frames and audio blocks in time order, up to {@code frontier} (or, ending, before {@code endUs}). */
  private void produce(long frontier, long endUs) {
    boolean ending = endUs != Long.MIN_VALUE;
    while (true) {
      long videoAt = videoEncoder != null ? timeline.videoTimeUs(nextFrame) : Long.MAX_VALUE;
      long audioAt = audioEncoder != null ? OutputTimeline.audioTimeUs(nextSample) : Long.MAX_VALUE;
      boolean videoReady = videoEncoder != null && (ending ? videoAt < endUs : videoAt < frontier);
      boolean audioReady = audioEncoder != null && (ending ? audioAt < endUs
          : OutputTimeline.audioTimeUs(nextSample + AudioEncoder.FRAME_SIZE) <= frontier);
      if (!videoReady && !audioReady) {
        return;
      }
      if (videoReady && (!audioReady || videoAt <= audioAt)) {
        encodeVideo(videoAt);
      } else {
        encodeAudio();
      }
    }
  }

  private void encodeVideo(long timeUs) {
    long began = System.nanoTime();
    Region whole = new Region(uid, 0, 0, compositor.canvas().width(), compositor.canvas().height(), 0, 1,
        RenderMode.FIT);
    // a stopped video shows black, as a gap in a participant's recording does
    compositor.compose(List.of(whole), u -> track.pictureAt(timeUs), Backdrop.of(YuvColor.BLACK));
    long composed = System.nanoTime();
    metrics.composed(composed - began);
    boolean idr = firstFrame || timeline.startsSlice(nextFrame);
    firstFrame = false;
    List<Packet> packets = videoEncoder.encode(compositor.canvas().frame(), nextFrame, idr);
    metrics.encodedVideo(System.nanoTime() - composed);
    lastComposedUs = timeUs;
    nextFrame++;
    send(packets);
  }

  private void encodeAudio() {
    short[] block = audioMixer.mix(nextSample, AudioEncoder.FRAME_SIZE);
    long began = System.nanoTime();
    List<Packet> packets = audioEncoder.encode(block, nextSample);
    metrics.encodedAudio(System.nanoTime() - began);
    nextSample += AudioEncoder.FRAME_SIZE;
    send(packets);
  }

  private void send(List<Packet> packets) {
    for (Packet p : packets) {
      if (p.getKind() == MediaKind.AUDIO) {
        if (p.getPtsUs() + 1_000 < dropAudioBeforeUs) {
          continue; // the new encoder's priming, or sound the previous owner handed out already
        }
        audioFloorUs = Math.max(audioFloorUs, p.getPtsUs() + p.getDurationUs());
      } else {
        videoFloor = Math.max(videoFloor, timeline.frameAtOrAfter(p.getPtsUs()) + 1);
      }
      if (discontinuity) {
        discontinuity = false;
        output.accept(EncodedPacket.newBuilder().setJobId(jobId).setUid(uid).setTimestampUs(p.getDtsUs())
            .setBody(Discontinuity.newBuilder().setReason(produced ? "participant rejoined" : "mixer restarted").build())
            .build());
      }
      produced = true;
      output.accept(EncodedPacket.newBuilder().setJobId(jobId).setUid(uid).setTimestampUs(p.getDtsUs()).setBody(p)
          .build());
    }
  }

  /** Where this uid's output handed out so far ends; null when it has none. */
  ResumePoint emitted() {
    return videoFloor < 0 && audioFloorUs < 0 ? null : new ResumePoint(videoFloor, audioFloorUs);
  }

  /**
   * The input a successor needs to go on from {@link #emitted()}: only a run in progress needs any
   * (the picture at the first frame not handed out, the sound from one block before the first not
   * handed out, for priming).
   */
  InputNeeds needs() {
    long video = videoEncoder == null ? Long.MAX_VALUE : timeline.videoTimeUs(videoFloor);
    long audio = Long.MAX_VALUE;
    if (audioEncoder != null) {
      long next = audioFloorUs < 0 ? nextSample : OutputTimeline.sampleAtOrAfter(audioFloorUs);
      audio = OutputTimeline.audioTimeUs(Math.max(0, next - AudioEncoder.FRAME_SIZE));
    }
    return new InputNeeds(video, audio);
  }

  private void closeRun() {
    if (track != null) {
      track.close();
      track = null;
    }
    audioMixer = null;
    clock = null;
    lastComposedUs = Long.MIN_VALUE;
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

  @Override
  public void close() {
    closeRun();
  }
}
