package io.capstan.app.bench;

import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Source;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The recordings a bench run submits: 4 file sources each, local storage, one bucket per phase. */
public final class BenchJobs {

  public static final String CHANNEL = "bench";

  private BenchJobs() {
  }

  public static String newSid() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** A 4-uid composite: best fit on the canvas, the bench's bitrate and slice length. */
  public static JobSpec composite(List<Path> sources, Encoding e, Pacing pacing, String bucket) {
    return base(sources, e.sliceSeconds(), pacing, bucket).setMode(RecordingMode.COMPOSITE)
        .setTranscoding(Transcoding.newBuilder().setWidth(e.width()).setHeight(e.height()).setFps(e.fps())
            .setBitrateKbps(e.bitrateKbps()).setLayout(Layout.newBuilder().setMixedVideoLayout(1).build()).build())
        .build();
  }

  /** A 4-uid individual recording: one audio and one video output per uid. */
  public static JobSpec individual(List<Path> sources, Encoding e, Pacing pacing, String bucket) {
    return base(sources, e.sliceSeconds(), pacing, bucket).setMode(RecordingMode.INDIVIDUAL).build();
  }

  /** A composite REALTIME recording of a channel's directory at {@code width}×{@code height}@{@code fps}: the WHIP rows. */
  public static JobSpec channelComposite(String channel, int width, int height, int fps, Encoding e, String bucket) {
    return base(List.of(), e.sliceSeconds(), Pacing.REALTIME, bucket).setChannel(channel).setMaxIdleTimeSeconds(30)
        .setMode(RecordingMode.COMPOSITE)
        .setTranscoding(Transcoding.newBuilder().setWidth(width).setHeight(height).setFps(fps)
            .setBitrateKbps(e.bitrateKbps()).setLayout(Layout.newBuilder().setMixedVideoLayout(1).build()).build())
        .build();
  }

  private static JobSpec.Builder base(List<Path> sources, int sliceSeconds, Pacing pacing, String bucket) {
    List<Source> named = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      named.add(Source.newBuilder().setUid(String.valueOf(1001 + i)).setUrl(sources.get(i).toAbsolutePath().toString())
          .build());
    }
    return JobSpec.newBuilder()
        .setJobId(newSid())
        .setChannel(CHANNEL)
        .setPacing(pacing)
        .setSources(named)
        .setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(sliceSeconds).build())
        .setStorage(StorageConfig.newBuilder().setVendor(99).setBucket(bucket).build())
        .setStartedUtcMs(0);
  }
}
