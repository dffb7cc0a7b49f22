package io.capstan.mixer.job;

import io.capstan.mixer.audio.AudioMixer;
import io.capstan.mixer.audio.Pcm;
import io.capstan.mixer.compositor.Backdrop;
import io.capstan.mixer.compositor.Compositor;
import io.capstan.mixer.compositor.YuvColor;
import io.capstan.mixer.encoder.AudioEncoder;
import io.capstan.mixer.encoder.VideoEncoder;
import io.capstan.mixer.layout.Region;
import io.capstan.mixer.layout.RenderMode;
import io.capstan.mixer.metrics.MixerMetrics;
import io.capstan.mixer.timeline.EventClock;
import io.capstan.mixer.timeline.OutputTimeline;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.Discontinuity;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
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

  UidTranscoder(String jobId, String uid, Settings settings, Consumer<EncodedPacket> output, MixerMetrics metrics,
                boolean resumed) {
    this.jobId = jobId;
    this.uid = uid;
    this.settings = settings;
    this.output = output;
    this.metrics = metrics;
    this.timeline = new OutputTimeline(settings.fps(), settings.sliceSeconds());
    this.discontinuity = resumed;
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
      nextFrame = timeline.frameAtOrAfter(timeUs);
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
      nextSample = start;
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
