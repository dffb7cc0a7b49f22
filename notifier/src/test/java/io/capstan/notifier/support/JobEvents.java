package io.capstan.notifier.support;

import io.capstan.schemas.AudioStreamStateChanged;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Webhook;
import io.capstan.schemas.RecorderStarted;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.SliceStart;
import io.capstan.schemas.Uploaded;
import io.capstan.schemas.UploaderStarted;
import io.capstan.schemas.VideoStreamStateChanged;
import java.util.List;
import java.util.UUID;

/** The events of a normal composite recording (PIPELINE.md, "Event order"), for tests. */
public final class JobEvents {

  public static final long T0 = 1_764_000_000_000L;

  private JobEvents() {
  }

  public static RecordingEvent event(String jobId, long utcMs, Object details) {
    return RecordingEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setJobId(jobId)
        .setChannel("room-" + jobId)
        .setRecorderUid("527841")
        .setUtcMs(utcMs)
        .setDetails(details)
        .build();
  }

  /** A started composite job, with {@code webhooks} as its own subscribers. */
  public static JobSpec spec(String jobId, RecordingMode mode, List<Webhook> webhooks) {
    return JobSpec.newBuilder().setJobId(jobId).setResourceId("rid-" + jobId).setChannel("room-" + jobId)
        .setRecorderUid("527841").setMode(mode)
        .setSubscriptions(Subscriptions.newBuilder().build()).setDecryption(Decryption.newBuilder().build())
        .setFiles(FileConfig.newBuilder().build()).setWebhooks(webhooks).setStartedUtcMs(T0).build();
  }

  public static FileEntry playlist(String jobId) {
    return FileEntry.newBuilder().setFileName(jobId + "_room-" + jobId + ".m3u8").setTrackType("audio_and_video")
        .setUid("0").setMixedAllUser(true).setIsPlayable(true).setSliceStartTime(T0 + 40).build();
  }

  /** RecorderStarted, uid 7's audio and video receiving, SliceStart, UploaderStarted, Uploaded, SessionExit. */
  public static List<RecordingEvent> normalRecording(String jobId) {
    return List.of(
        event(jobId, T0, new RecorderStarted(0)),
        event(jobId, T0 + 10, new AudioStreamStateChanged("7", 0, T0 + 10)),
        event(jobId, T0 + 20, new VideoStreamStateChanged("7", 0, T0 + 20)),
        event(jobId, T0 + 40, SliceStart.newBuilder().setStartUtcMs(T0 + 40).setMixedAllUser(true).build()),
        event(jobId, T0 + 50, new UploaderStarted(0)),
        event(jobId, T0 + 9000, new Uploaded(0, List.of(playlist(jobId)))),
        event(jobId, T0 + 9010, new SessionExit(0)));
  }
}
