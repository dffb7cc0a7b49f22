package io.capstan.ingest;

import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Source;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.serde.AvroTrust;
import java.util.List;

/** Job specs for tests: valid unless a test breaks them. */
public final class TestSpecs {

  static {
    AvroTrust.install();
  }

  private TestSpecs() {
  }

  public static Source source(String uid, String url) {
    return Source.newBuilder().setUid(uid).setUrl(url).build();
  }

  /** A lavfi source: a solid colour and a tone, {@code seconds} long. */
  public static Source colour(String uid, String colour, int frequency, int seconds) {
    return source(uid, "lavfi:color=c=" + colour + ":size=320x240:rate=15:duration=" + seconds + "[out0];"
        + "sine=frequency=" + frequency + ":sample_rate=48000:duration=" + seconds + "[out1]");
  }

  public static JobSpec.Builder composite(String jobId, Pacing pacing, Source... sources) {
    return JobSpec.newBuilder()
        .setJobId(jobId)
        .setChannel("room-" + jobId)
        .setMode(RecordingMode.COMPOSITE)
        .setPacing(pacing)
        .setSources(List.of(sources))
        .setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().build())
        .setTranscoding(Transcoding.newBuilder().setWidth(640).setHeight(360).setFps(15)
            .setLayout(Layout.newBuilder().build()).build())
        .setFiles(FileConfig.newBuilder().build())
        .setStartedUtcMs(0);
  }

  /** An individual recording: each uid on its own output. */
  public static JobSpec.Builder individual(String jobId, Pacing pacing, Source... sources) {
    return composite(jobId, pacing, sources).setMode(RecordingMode.INDIVIDUAL);
  }
}
