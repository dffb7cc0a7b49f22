package io.capstan.mixer.job;

import io.capstan.mixer.handover.InputNeeds;
import io.capstan.mixer.handover.ResumePoint;
import io.capstan.mixer.compositor.SourcePicture;
import io.capstan.mixer.metrics.MixerMetrics;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.StreamStateKind;
import io.capstan.schemas.VideoFrame;
import io.capstan.schemas.Watermark;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An individual-mode job: ingest passes through what HLS can carry and sends decoded frames only
 * for the rest; each uid with frames gets a {@link UidTranscoder} writing H.264/AAC on the uid's
 * own output. At EndOfJob every uid output is flushed and closed with its own EndOfJob, then the
 * job gets one with uid "" (the segmenter ends the job's files on it).
 */
public final class IndividualJob implements MixJob {

  private static final Logger log = LoggerFactory.getLogger(IndividualJob.class);

  private final JobSpec spec;
  private final Consumer<EncodedPacket> output;
  private final MixerMetrics metrics;
  private final boolean mayResume;
  private final UidTranscoder.Settings settings;
  private final Map<String, UidTranscoder> uids = new LinkedHashMap<>();
  /** Per uid, where the previous owner's committed output ended; taken by the uid's transcoder. */
  private final Map<String, ResumePoint> takeOver;
  private boolean sawRecord;
  private boolean resumed;
  private long endUs = Long.MIN_VALUE;
  private EndOfJob endOfJob;
  private boolean finished;

  public IndividualJob(JobSpec spec, JobMixer.Options options, Consumer<EncodedPacket> output, boolean mayResume,
                       JobHooks hooks) {
    this(spec, options, output, mayResume, Map.of(), hooks);
  }

  /** @param takeOver per uid, where the previous owner's committed output of that uid ended */
  public IndividualJob(JobSpec spec, JobMixer.Options options, Consumer<EncodedPacket> output, boolean mayResume,
                       Map<String, ResumePoint> takeOver, JobHooks hooks) {
    this.spec = spec;
    this.takeOver = new HashMap<>(takeOver);
    this.output = output;
    this.metrics = hooks.metrics();
    this.mayResume = mayResume;
    int fps = spec.getTranscoding() == null ? 15 : Math.max(1, Math.min(60, spec.getTranscoding().getFps()));
    int sliceSeconds = spec.getFiles() == null ? 10 : Math.max(1, spec.getFiles().getSliceSeconds());
    this.settings = new UidTranscoder.Settings(fps, sliceSeconds, spec.getAudioProfile(), options.x264Preset(),
        options.x264Threads(), spec.getPacing() != Pacing.FAST, options.jitterMs(), options.maxJitterMs(), options.maxPendingFrames());
  }

  @Override
  public String jobId() {
    return spec.getJobId();
  }

  @Override
  public boolean finished() {
    return finished;
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
      resumed = IncomingRecords.resumesMidStream(record, mayResume);
    }
    if (body instanceof VideoFrame frame) {
      IncomingRecords.check(frame);
      transcoder(uid).video(ts, frame, nowMs);
    } else if (body instanceof AudioFrame a) {
      IncomingRecords.check(a);
      transcoder(uid).audio(ts, a, nowMs);
    } else if (body instanceof Watermark && uids.containsKey(uid)) {
      uids.get(uid).watermark(ts, nowMs);
    } else if (body instanceof StreamState state && uids.containsKey(uid)) {
      if (state.getState() == StreamStateKind.LEFT) {
        uids.get(uid).stop(ts);
      } else if (state.getState() == StreamStateKind.VIDEO_STOPPED) {
        uids.get(uid).videoStopped(ts);
      }
    } else if (body instanceof EndOfJob end) {
      endUs = Math.max(ts, 0);
      endOfJob = end;
    }
  }

  private UidTranscoder transcoder(String uid) {
    if (uid.isEmpty()) {
      throw new IllegalArgumentException("media without a uid");
    }
    return uids.computeIfAbsent(uid, u -> new UidTranscoder(jobId(), u, settings, output, metrics, resumed,
        takeOver.remove(u)));
  }

  @Override
  public void advance(long nowMs) {
    if (finished) {
      return;
    }
    if (endOfJob == null) {
      uids.values().forEach(t -> t.advance(nowMs));
      return;
    }
    uids.values().forEach(t -> t.end(endUs, endOfJob));
    // The job's own end, after every uid's: the segmenter closes the job's files on it.
    output.accept(EncodedPacket.newBuilder().setJobId(jobId()).setUid("").setTimestampUs(endUs)
        .setBody(EndOfJob.newBuilder(endOfJob).build()).build());
    finished = true;
    log.info("job {}: individual transcoding finished at {} us ({} uids)", jobId(), endUs, uids.size());
    close();
  }

  @Override
  public Map<String, ResumePoint> emitted() {
    Map<String, ResumePoint> points = new LinkedHashMap<>();
    uids.forEach((uid, transcoder) -> {
      ResumePoint point = transcoder.emitted();
      if (point != null) {
        points.put(uid, point);
      }
    });
    return points;
  }

  /** What the uid furthest behind needs (more than the others need: replayed, it is only looked past). */
  @Override
  public InputNeeds needs() {
    if (finished) {
      return InputNeeds.NONE;
    }
    long video = Long.MAX_VALUE;
    long audio = Long.MAX_VALUE;
    for (UidTranscoder transcoder : uids.values()) {
      InputNeeds needs = transcoder.needs();
      video = Math.min(video, needs.videoFromUs());
      audio = Math.min(audio, needs.audioFromUs());
    }
    return new InputNeeds(video, audio);
  }

  @Override
  public void close() {
    uids.values().forEach(UidTranscoder::close);
    uids.clear();
  }
}
