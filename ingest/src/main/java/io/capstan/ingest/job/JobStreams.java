package io.capstan.ingest.job;

import io.capstan.ingest.source.CanvasFit;
import io.capstan.runtime.source.SourceUrl;
import io.capstan.runtime.spec.SrtEncryption;
import io.capstan.ingest.source.StreamSpec;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StreamTypes;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.VideoStreamType;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/** Turns a job's recordingConfig and one uid's stream into what its reader opens. */
public final class JobStreams {

  /** Transcoding's schema default, for composite jobs without one (audio mixes, for one). */
  private static final int DEFAULT_FPS = ((Number) Transcoding.SCHEMA$.getField("fps").defaultVal()).intValue();

  private JobStreams() {
  }

  /** @throws IllegalArgumentException when the URL cannot be used (directory entries are not validated at Start) */
  public static StreamSpec of(JobSpec spec, String uid, String url, String lowUrl, boolean audio, boolean video) {
    String chosen = spec.getVideoStreamType() == VideoStreamType.LOW && lowUrl != null ? lowUrl : url;
    SourceUrl source = SourceUrl.parse(chosen);
    boolean wantAudio = audio && spec.getStreamTypes() != StreamTypes.VIDEO_ONLY;
    boolean wantVideo = video && spec.getStreamTypes() != StreamTypes.AUDIO_ONLY;
    return new StreamSpec(uid, source, wantAudio, wantVideo, canvas(spec), options(spec.getDecryption(), source),
        spec.getMode() == RecordingMode.INDIVIDUAL, compositeFps(spec), null);
  }

  /** The composite's frame rate (0 for other jobs, which keep every picture). */
  static int compositeFps(JobSpec spec) {
    if (spec.getMode() != RecordingMode.COMPOSITE) {
      return 0;
    }
    Transcoding t = spec.getTranscoding();
    return t == null ? DEFAULT_FPS : t.getFps();
  }

  /** Composite pictures are never published larger than the canvas; individual ones keep their size. */
  static CanvasFit.Size canvas(JobSpec spec) {
    if (spec.getMode() != RecordingMode.COMPOSITE) {
      return null;
    }
    Transcoding t = spec.getTranscoding();
    // Transcoding's schema defaults (360 x 640) when the spec has none.
    return t == null ? new CanvasFit.Size(360, 640) : new CanvasFit.Size(t.getWidth(), t.getHeight());
  }

  private static Map<String, String> options(Decryption decryption, SourceUrl source) {
    Map<String, String> options = new HashMap<>();
    if (decryption != null && source.scheme().equals("srt")) {
      OptionalInt keyLength = SrtEncryption.keyLength(decryption.getMode());
      if (keyLength.isPresent() && decryption.getSecret() != null) {
        options.put("passphrase", decryption.getSecret());
        options.put("pbkeylen", String.valueOf(keyLength.getAsInt()));
      }
    }
    return options;
  }
}
