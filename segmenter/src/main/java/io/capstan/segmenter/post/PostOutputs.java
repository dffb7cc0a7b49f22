package io.capstan.segmenter.post;

import io.capstan.schemas.FileKind;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.PostProcessing;
import io.capstan.schemas.PostProcessingKind;
import io.capstan.schemas.TrackConfig;
import io.capstan.segmenter.mp4.Mp4Output;
import io.capstan.segmenter.mux.MemoryMuxer;
import io.capstan.segmenter.mux.Mp4Muxer;
import io.capstan.segmenter.naming.FileNames;
import io.capstan.segmenter.naming.TrackSet;
import java.util.Locale;
import java.util.function.BiFunction;

/** What a post-processing job's one output file is: its name, container and (never) split. */
public final class PostOutputs {

  /** No split: a file as long as the session (1000 days of media would still be one file). */
  static final long NO_SPLIT_US = 1000L * 86_400 * 1_000_000;

  private PostOutputs() {
  }

  /** True when the job makes one file only (postponed transcoding, audio mix), no HLS. */
  public static boolean singleFile(JobSpec spec) {
    PostProcessing post = spec.getPostProcessing();
    return post != null && post.getKind() != PostProcessingKind.RECOMPOSE;
  }

  /** The kind of FileChunk the file travels as. */
  public static FileKind fileKind(JobSpec spec) {
    return spec.getPostProcessing().getKind() == PostProcessingKind.AUDIO_MIX ? FileKind.AUDIO : FileKind.MP4;
  }

  /** The output of a {@link #singleFile} job's composite (uid "") packets. */
  public static Mp4Output output(JobSpec spec, TrackSet tracks, int firstIndex, int chunkBytes) {
    PostProcessing post = spec.getPostProcessing();
    String sid = post.getSourceJobId();
    String cname = post.getSourceChannel() == null || post.getSourceChannel().isEmpty() ? spec.getChannel()
        : post.getSourceChannel();
    long sessionStart = post.getSourceStartedUtcMs() > 0 ? post.getSourceStartedUtcMs() : spec.getStartedUtcMs();
    if (post.getKind() == PostProcessingKind.AUDIO_MIX) {
      String format = post.getFormat().toLowerCase(Locale.ROOT);
      return new Mp4Output((utcMs, n) -> sid + "_" + cname + "_" + n + "." + format, TrackSet.AUDIO, NO_SPLIT_US,
          spec.getStartedUtcMs(), firstIndex, chunkBytes, (video, audio) -> AudioFileMuxer.of(format, audio));
    }
    BiFunction<TrackConfig, TrackConfig, MemoryMuxer> mp4 = Mp4Muxer::new;
    return new Mp4Output((utcMs, n) -> FileNames.postponedMp4(sid, cname, post.getUid(), sessionStart), tracks,
        NO_SPLIT_US, spec.getStartedUtcMs(), firstIndex, chunkBytes, mp4);
  }
}
