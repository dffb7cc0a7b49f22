package io.capstan.app.demo;

import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StopCommand;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import java.util.UUID;

/** The demo's recording: a 1280×720 best-fit composite of three generated sources, 4 s slices, local storage. */
final class DemoJob {

  static final String CHANNEL = "demo";
  static final String BUCKET = "demo";
  static final int SLICE_SECONDS = 4;

  private DemoJob() {
  }

  static JobSpec spec(String sid) {
    return JobSpec.newBuilder()
        .setJobId(sid)
        .setChannel(CHANNEL)
        .setRecorderUid("999")
        .setMode(RecordingMode.COMPOSITE)
        .setSources(DemoSources.three())
        .setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().build())
        .setTranscoding(Transcoding.newBuilder().setWidth(1280).setHeight(720).setFps(15).setBitrateKbps(1500)
            .setLayout(Layout.newBuilder().setMixedVideoLayout(1).setBackgroundColor("#1E2A3A").build()).build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(SLICE_SECONDS).build())
        .setStorage(StorageConfig.newBuilder().setVendor(99).setBucket(BUCKET).build())
        .setStartedUtcMs(0)
        .build();
  }

  static RecordingCommand start(JobSpec spec) {
    return RecordingCommand.newBuilder().setJobId(spec.getJobId()).setCommandId(UUID.randomUUID().toString())
        .setIssuedUtcMs(System.currentTimeMillis()).setAction(StartCommand.newBuilder().setSpec(spec).build()).build();
  }

  static RecordingCommand stop(String sid) {
    return RecordingCommand.newBuilder().setJobId(sid).setCommandId(UUID.randomUUID().toString())
        .setIssuedUtcMs(System.currentTimeMillis()).setAction(StopCommand.newBuilder().build()).build();
  }
}
