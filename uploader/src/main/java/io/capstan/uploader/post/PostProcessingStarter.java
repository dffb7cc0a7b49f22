package io.capstan.uploader.post;

import io.capstan.runtime.events.Events;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.PostProcessing;
import io.capstan.schemas.PostProcessingKind;
import io.capstan.schemas.PostProcessingRequest;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StreamTypes;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.TranscoderStarted;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the post-processing of a recording whose files are all stored: postponed transcoding is
 * one composite job per uid ({@code <sid>-pp-<uid>}: that uid alone, filling a canvas of its own
 * picture size, black when it is away), audio mix one audio-only composite of every uid
 * ({@code <sid>-mix}). Both share the recording's timeline and storage and are paced FAST.
 */
public final class PostProcessingStarter {

  public static final String TRANSCODE = "postponeTranscoding";
  public static final String AUDIO_MIX = "audioMix";

  private static final Logger log = LoggerFactory.getLogger(PostProcessingStarter.class);

  private final Producer<String, SpecificRecord> producer;
  private final PostProcessingTracker tracker;

  public PostProcessingStarter(Producer<String, SpecificRecord> producer, PostProcessingTracker tracker) {
    this.producer = producer;
    this.tracker = tracker;
  }

  /**
   * Called once the recording's Uploaded was sent.
   *
   * @param files  the recording's fileList (its playlists, which name its uids)
   * @param endUs  where its last slice ends on its timeline (0: unknown, ingest finds it)
   */
  public void recordingStored(JobSpec spec, List<FileEntry> files, long endUs) {
    PostProcessingRequest request = spec.getAfterRecording();
    if (request == null || spec.getPostProcessing() != null) {
      return;
    }
    List<JobSpec> derived = derivedJobs(spec, request, files, endUs);
    if (derived.isEmpty()) {
      log.warn("job {}: {} asked for but the recording has no uid files", spec.getJobId(), request.getTransMode());
      return;
    }
    tracker.expect(spec, derived);
    for (JobSpec job : derived) {
      RecordingCommand command = RecordingCommand.newBuilder().setJobId(job.getJobId())
          .setCommandId(UUID.randomUUID().toString()).setIssuedUtcMs(System.currentTimeMillis())
          .setAction(StartCommand.newBuilder().setSpec(job).build()).build();
      producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), job.getJobId(), command));
    }
    Events.sendUntilWritten(producer, Events.of(spec, TranscoderStarted.newBuilder().build()));
    log.info("job {}: {} started as {}", spec.getJobId(), request.getTransMode(),
        derived.stream().map(JobSpec::getJobId).toList());
  }

  static List<JobSpec> derivedJobs(JobSpec spec, PostProcessingRequest request, List<FileEntry> files, long endUs) {
    Set<String> uids = new LinkedHashSet<>();
    for (FileEntry f : files) {
      if (!f.getMixedAllUser()) {
        uids.add(f.getUid());
      }
    }
    List<JobSpec> jobs = new ArrayList<>();
    if (uids.isEmpty()) {
      return jobs;
    }
    PostProcessing.Builder post = PostProcessing.newBuilder()
        .setSourceJobId(spec.getJobId())
        .setSourceChannel(spec.getChannel())
        .setSourceStorage(spec.getStorage())
        .setSourceStartedUtcMs(spec.getStartedUtcMs())
        .setSourceEndUs(Math.max(0, endUs))
        .setFormat(request.getFormat().toLowerCase(Locale.ROOT))
        .setSampleRate(request.getSampleRate())
        .setAudioBitrate(request.getBitrate())
        .setChannels(request.getChannels());
    if (AUDIO_MIX.equals(request.getTransMode())) {
      jobs.add(base(spec, spec.getJobId() + "-mix")
          .setStreamTypes(StreamTypes.AUDIO_ONLY)
          // The mixer mixes in the output's channel count: audioProfile 2 is stereo, 0 mono.
          .setAudioProfile(request.getChannels() == 1 ? 0 : 2)
          .setPostProcessing(post.setKind(PostProcessingKind.AUDIO_MIX).setUids(new ArrayList<>(uids)).build())
          .build());
      return jobs;
    }
    for (String uid : uids) {
      jobs.add(base(spec, spec.getJobId() + "-pp-" + uid)
          .setStreamTypes(StreamTypes.AUDIO_AND_VIDEO)
          .setPostProcessing(PostProcessing.newBuilder(post.setKind(PostProcessingKind.POSTPONE_TRANSCODING).build())
              .setUids(List.of(uid)).setUid(uid).setFormat("mp4").build())
          .build());
    }
    return jobs;
  }

  private static JobSpec.Builder base(JobSpec spec, String jobId) {
    return JobSpec.newBuilder()
        .setJobId(jobId)
        .setAppId(spec.getAppId())
        .setChannel(spec.getChannel())
        .setRecorderUid(spec.getRecorderUid())
        .setMode(RecordingMode.COMPOSITE)
        .setAudioProfile(spec.getAudioProfile())
        .setMaxIdleTimeSeconds(spec.getMaxIdleTimeSeconds())
        .setPacing(Pacing.FAST)
        .setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().build())
        .setFiles(FileConfig.newBuilder().setAvFileType(List.of("mp4"))
            .setSliceSeconds(spec.getFiles() == null ? 10 : spec.getFiles().getSliceSeconds()).build())
        .setStorage(spec.getStorage())
        .setStartedUtcMs(spec.getStartedUtcMs());
  }
}
