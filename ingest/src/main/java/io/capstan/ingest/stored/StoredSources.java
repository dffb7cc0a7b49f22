package io.capstan.ingest.stored;

import io.capstan.runtime.media.Natives;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.PostProcessing;
import io.capstan.schemas.PostProcessingKind;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.StreamTypes;
import io.capstan.schemas.Transcoding;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFactory;
import io.capstan.storage.path.InvalidPathException;
import io.capstan.storage.path.SafePaths;
import io.capstan.storage.recording.RecordingFiles;
import io.capstan.storage.recording.StoredPlaylist;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Reads what a post-processing job needs to know before it starts from the source recording's
 * playlists: which uids it has, where its timeline starts and ends, and (postponed transcoding)
 * the uid's picture size, which becomes the canvas. All of it goes into the spec ingest stores,
 * so the mixer and segmenter see it before the first frame.
 */
public final class StoredSources {

  /** Local storage (vendor 99) without storageConfig: what the uploader uses for a job without storage. */
  static final int LOCAL_VENDOR = 99;

  private final StoreFactory stores;

  public StoredSources(StoreFactory stores) {
    this.stores = stores;
  }

  StoreFactory stores() {
    return stores;
  }

  /** A post-processing job that cannot start: the message names the field at fault. */
  public static final class Problem extends Exception {
    public Problem(String message) {
      super(message, null, false, false);
    }
  }

  /** The spec to store for a post-processing job: timeline, uids and canvas filled in. */
  public JobSpec prepare(JobSpec spec) throws Problem {
    PostProcessing post = spec.getPostProcessing();
    if (post.getSourceJobId() == null || post.getSourceJobId().isBlank()) {
      throw new Problem("postProcessing.sourceJobId: must name the recording to read back");
    }
    try (ObjectStore store = open(post.getSourceStorage())) {
      RecordingFiles files = RecordingFiles.find(store, prefix(post.getSourceStorage()), post.getSourceJobId());
      if (files.uids().isEmpty()) {
        throw new Problem("postProcessing.sourceJobId: no individual recording of sid " + post.getSourceJobId()
            + " in the source storage");
      }
      List<String> uids = new ArrayList<>();
      List<String> wanted = post.getUids().isEmpty() ? new ArrayList<>(files.uids().keySet()) : post.getUids();
      for (String uid : wanted) {
        if (!files.uids().containsKey(uid)) {
          throw new Problem("postProcessing.uids: uid " + uid + " has no files in recording " + post.getSourceJobId());
        }
        uids.add(uid);
      }
      Map<String, StoredPlaylist> playlists = new TreeMap<>();
      for (String uid : uids) {
        for (String name : playlistsOf(files.uids().get(uid), spec.getStreamTypes())) {
          playlists.put(name, StoredPlaylist.parse(new String(store.get(files.key(name)), StandardCharsets.UTF_8)));
        }
      }
      if (playlists.values().stream().allMatch(p -> p.slices().isEmpty())) {
        throw new Problem("postProcessing.sourceJobId: recording " + post.getSourceJobId() + " has no "
            + (spec.getStreamTypes() == StreamTypes.AUDIO_ONLY ? "audio " : "") + "slices for uids " + uids);
      }
      long started = post.getSourceStartedUtcMs() > 0 ? post.getSourceStartedUtcMs()
          : playlists.values().stream().filter(p -> !p.slices().isEmpty()).mapToLong(StoredPlaylist::startUtcMs)
              .min().orElseThrow();
      long endUs = post.getSourceEndUs() > 0 ? post.getSourceEndUs()
          : (playlists.values().stream().mapToLong(StoredPlaylist::endUtcMs).max().orElse(started) - started) * 1000;
      JobSpec.Builder prepared = JobSpec.newBuilder(spec).setStartedUtcMs(started)
          .setPostProcessing(PostProcessing.newBuilder(post).setUids(uids).setSourceStartedUtcMs(started)
              .setSourceEndUs(endUs).setSourceChannel(files.cname()).build());
      if (post.getKind() == PostProcessingKind.POSTPONE_TRANSCODING && spec.getTranscoding() == null) {
        prepared.setTranscoding(canvasOf(store, files, files.uids().get(uids.get(0)), playlists));
      }
      return prepared.build();
    } catch (StoreException e) {
      throw new Problem("postProcessing.sourceStorage: cannot read recording " + post.getSourceJobId() + ": "
          + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new Problem("postProcessing.sourceJobId: a playlist of recording " + post.getSourceJobId()
          + " cannot be read: " + e.getMessage());
    }
  }

  ObjectStore open(StorageConfig storage) throws StoreException {
    return stores.open(storage);
  }

  static List<String> prefix(StorageConfig storage) {
    return storage == null ? List.of() : storage.getFileNamePrefix();
  }

  /** The playlists of a uid that a job of {@code types} reads: av, or video and/or audio. */
  static List<String> playlistsOf(RecordingFiles.UidPlaylists uid, StreamTypes types) {
    List<String> names = new ArrayList<>();
    if (uid.av() != null) {
      names.add(uid.av());
    }
    if (uid.video() != null && types != StreamTypes.AUDIO_ONLY) {
      names.add(uid.video());
    }
    if (uid.audio() != null && types != StreamTypes.VIDEO_ONLY) {
      names.add(uid.audio());
    }
    return names;
  }

  /** One uid fills the canvas: its picture size (from its first video slice), black background, best fit. */
  private static Transcoding canvasOf(ObjectStore store, RecordingFiles files, RecordingFiles.UidPlaylists uid,
                                      Map<String, StoredPlaylist> playlists) throws StoreException, Problem {
    String playlist = uid.video() != null ? uid.video() : uid.av();
    Layout layout = Layout.newBuilder().setMixedVideoLayout(1).setBackgroundColor("#000000").build();
    int width = 640;
    int height = 360;
    int fps = 15;
    if (playlist != null && !playlists.get(playlist).slices().isEmpty()) {
      StoredPlaylist.Slice first = playlists.get(playlist).slices().get(0);
      Path dir = null;
      try {
        dir = Files.createTempDirectory("capstan-probe-");
        if (first.map() != null) {
          store.download(files.key(first.map()), inside(dir, first.map(), playlist));
        }
        Path slice = inside(dir, first.uri(), playlist);
        store.download(files.key(first.uri()), slice);
        Natives.require();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(slice.toFile())) {
          grabber.start();
          if (grabber.getImageWidth() > 0 && grabber.getImageHeight() > 0) {
            width = grabber.getImageWidth();
            height = grabber.getImageHeight();
          }
          double rate = grabber.getFrameRate();
          if (rate >= 1 && rate <= 120) {
            fps = (int) Math.round(Math.min(30, rate));
          }
        }
      } catch (IOException e) {
        throw new Problem("postProcessing.uid: the first video slice of uid " + uid.uid() + " cannot be read: "
            + e.getMessage());
      } finally {
        TempDirs.delete(dir);
      }
    }
    // The canvas limits of a composite job (at most 1920 per side and 1920 x 1080 pixels), even sizes.
    double scale = Math.min(1.0, Math.min(1920.0 / Math.max(width, height),
        Math.sqrt(1920.0 * 1080.0 / ((double) width * height))));
    width = Math.max(2, (int) (width * scale) & ~1);
    height = Math.max(2, (int) (height * scale) & ~1);
    // About 0.1 bit per pixel: what a talking head needs in H.264 at this size.
    int kbps = (int) Math.max(200, Math.min(6000, (long) width * height * fps / 10_000));
    return Transcoding.newBuilder().setWidth(width).setHeight(height).setFps(fps).setBitrateKbps(kbps)
        .setLayout(layout).build();
  }

  /** The local file of a playlist entry; an entry that is not a file inside {@code dir} is the job's problem. */
  private static Path inside(Path dir, String entry, String playlist) throws Problem {
    try {
      return SafePaths.playlistEntry(dir, entry);
    } catch (InvalidPathException e) {
      throw new Problem("postProcessing.sourceJobId: playlist " + playlist + " names a file that is refused: "
          + e.getMessage());
    }
  }
}
