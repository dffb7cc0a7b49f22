package io.capstan.ingest.stored;

import io.capstan.ingest.job.JobContext;
import io.capstan.ingest.job.JobStreams;
import io.capstan.ingest.publish.JobFrames;
import io.capstan.ingest.publish.UidFrames;
import io.capstan.ingest.source.FrameConversion;
import io.capstan.ingest.source.StreamSpec;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.DownloadFailed;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.PostProcessing;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.StreamTypes;
import io.capstan.schemas.VideoFrame;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreException;
import io.capstan.storage.recording.LocalCopy;
import io.capstan.storage.recording.RecordingFiles;
import io.capstan.storage.recording.StoredPlaylist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a post-processing job's sources: copies each uid's playlists and slices from the source
 * storage into a temp folder (removed at the end), opens every local playlist with FFmpeg and
 * publishes all of them on one thread, merged in timestamp order, so a uid joins exactly when its
 * media starts and no uid runs ahead of one that has not joined yet. Timestamps stay those of the
 * source session (the slices carry its timeline); a uid's presence comes from its slices, so when
 * the merged time passes the end of a stretch of its slices the uid leaves, and it joins again
 * where its next stretch starts. A slice that cannot be read back is reported (DownloadFailed on
 * the source job) and left out: that stretch is a gap.
 */
public final class StoredPlayback {

  private static final Logger log = LoggerFactory.getLogger(StoredPlayback.class);
  /** A frame this far past the end of its uid's stretch still belongs to it. */
  static final long TOLERANCE_US = 250_000;
  /** Timestamps within this of the slices' UTC starts are on the job timeline already. */
  private static final long ON_TIMELINE_US = 100_000;

  private final JobSpec spec;
  private final PostProcessing post;
  private final StoredSources sources;
  private final JobContext ctx;
  private final JobFrames frames;
  private final UidFrames.StateListener states;
  private final Runnable onEnd;
  private final Thread thread;
  private volatile boolean stopping;

  public StoredPlayback(JobSpec spec, StoredSources sources, JobContext ctx, JobFrames frames,
                        UidFrames.StateListener states, Runnable onEnd) {
    this.spec = spec;
    this.post = spec.getPostProcessing();
    this.sources = sources;
    this.ctx = ctx;
    this.frames = frames;
    this.states = states;
    this.onEnd = onEnd;
    this.thread = new Thread(this::run, "stored-" + spec.getJobId());
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Stops publishing (the job was stopped) and waits for the thread. */
  public void stop(Duration timeout) throws InterruptedException {
    stopping = true;
    if (Thread.currentThread() != thread) {
      thread.join(Math.max(1, timeout.toMillis()));
    }
  }

  /** One uid of the job: its stretches of presence and what it publishes now. */
  private static final class Uid {
    final String uid;
    final List<Presence.Interval> presence;
    final Map<MediaKind, List<Presence.Interval>> kinds = new LinkedHashMap<>();
    UidFrames out;
    Presence.Interval current;

    Uid(String uid, List<Presence.Interval> presence) {
      this.uid = uid;
      this.presence = presence;
    }
  }

  /** One local playlist being read: its grabber and its next frame, converted (FFmpeg reuses its buffers). */
  private static final class Track implements AutoCloseable {
    final Uid uid;
    final FFmpegFrameGrabber grabber;
    final boolean audio;
    final boolean video;
    final long firstUs;
    Long offsetUs;
    long headUs;
    MediaKind headKind;
    Object headBody;
    boolean done;

    Track(Uid uid, FFmpegFrameGrabber grabber, boolean audio, boolean video, long firstUs) {
      this.uid = uid;
      this.grabber = grabber;
      this.audio = audio;
      this.video = video;
      this.firstUs = firstUs;
    }

    void advance() throws FrameGrabber.Exception {
      while (true) {
        Frame frame = grabber.grabFrame(audio, video, true, false, false);
        if (frame == null) {
          done = true;
          headBody = null;
          return;
        }
        MediaKind kind = frame.image != null ? MediaKind.VIDEO : frame.samples != null ? MediaKind.AUDIO : null;
        if (kind == null) {
          continue;
        }
        if (offsetUs == null) {
          long off = firstUs - frame.timestamp;
          // The segmenter keeps job-timeline timestamps in the slices: use them as they are unless a
          // muxer shifted them, then map the first frame onto its slice's UTC start.
          offsetUs = Math.abs(off) < ON_TIMELINE_US ? 0 : off;
        }
        headUs = Math.max(0, frame.timestamp + offsetUs);
        headKind = kind;
        headBody = kind == MediaKind.VIDEO ? FrameConversion.video(frame) : FrameConversion.audio(frame);
        return;
      }
    }

    @Override
    public void close() {
      try {
        grabber.close();
      } catch (FrameGrabber.Exception | RuntimeException e) {
        // closing: nothing left to report
      }
    }
  }

  private void run() {
    Path dir = null;
    List<Track> tracks = new ArrayList<>();
    Map<String, Uid> uids = new LinkedHashMap<>();
    try {
      dir = Files.createTempDirectory("capstan-" + spec.getJobId().replaceAll("[^A-Za-z0-9_-]", "_") + "-");
      open(dir, uids, tracks);
      play(uids, tracks);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      log.error("job {}: reading recording {} back failed", spec.getJobId(), post.getSourceJobId(), e);
      ctx.event(spec, io.capstan.runtime.events.Events.error(JobContext.MODULE, 1,
          "reading recording " + post.getSourceJobId() + " back failed: " + e.getMessage()));
    } finally {
      tracks.forEach(Track::close);
      try {
        for (Uid u : uids.values()) {
          if (u.out != null) {
            u.out.leave("ended");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      TempDirs.delete(dir);
      if (!stopping) {
        frames.reach(post.getSourceEndUs());
        onEnd.run();
      }
    }
  }

  /** Copies every uid's playlists and opens them. */
  private void open(Path dir, Map<String, Uid> uids, List<Track> tracks) throws IOException, FrameGrabber.Exception {
    StorageConfig storage = post.getSourceStorage();
    RecordingFiles files;
    try (ObjectStore store = sources.open(storage)) {
      files = RecordingFiles.find(store, StoredSources.prefix(storage), post.getSourceJobId());
      int n = 0;
      for (String uidName : post.getUids()) {
        RecordingFiles.UidPlaylists playlists = files.uids().get(uidName);
        if (playlists == null || stopping) {
          continue;
        }
        Path uidDir = dir.resolve("uid" + n++);
        Map<String, LocalCopy> copies = new LinkedHashMap<>();
        for (String name : StoredSources.playlistsOf(playlists, spec.getStreamTypes())) {
          try {
            LocalCopy copy = LocalCopy.of(store, files, name, uidDir, LocalCopy.Progress.NONE);
            copy.missing().forEach(m -> downloadFailed(storage, m.fileName(), m.reason()));
            copies.put(name, copy);
          } catch (StoreException | RuntimeException e) {
            downloadFailed(storage, name, e.getMessage());
          }
        }
        List<StoredPlaylist> local = copies.values().stream().map(LocalCopy::local).toList();
        Uid uid = new Uid(uidName, Presence.of(local, spec.getStartedUtcMs()));
        uids.put(uidName, uid);
        copies.forEach((name, copy) -> {
          boolean audio = !name.equals(playlists.video()) && spec.getStreamTypes() != StreamTypes.VIDEO_ONLY;
          boolean video = !name.equals(playlists.audio()) && spec.getStreamTypes() != StreamTypes.AUDIO_ONLY;
          List<Presence.Interval> intervals = Presence.of(List.of(copy.local()), spec.getStartedUtcMs());
          if (audio) {
            uid.kinds.put(MediaKind.AUDIO, intervals);
          }
          if (video) {
            uid.kinds.put(MediaKind.VIDEO, intervals);
          }
        });
        for (Map.Entry<String, LocalCopy> e : copies.entrySet()) {
          LocalCopy copy = e.getValue();
          if (!copy.playable() || stopping) {
            continue;
          }
          String name = e.getKey();
          boolean audio = !name.equals(playlists.video()) && spec.getStreamTypes() != StreamTypes.VIDEO_ONLY;
          boolean video = !name.equals(playlists.audio()) && spec.getStreamTypes() != StreamTypes.AUDIO_ONLY;
          StreamSpec stream = JobStreams.of(spec, uidName, copy.playlist().toAbsolutePath().toString(), null, audio,
              video);
          FFmpegFrameGrabber grabber = ctx.opener().open(stream);
          long firstUs = (copy.local().startUtcMs() - spec.getStartedUtcMs()) * 1000;
          Track track = new Track(uid, grabber, audio && grabber.hasAudio(), video && grabber.hasVideo(), firstUs);
          tracks.add(track);
          if (!track.audio && !track.video) {
            track.done = true;
          } else {
            track.advance();
          }
        }
      }
    } catch (StoreException e) {
      downloadFailed(storage, post.getSourceJobId() + "_*", e.getMessage());
    }
    log.info("job {}: recording {} read back: {} uids, {} playlists", spec.getJobId(), post.getSourceJobId(),
        uids.size(), tracks.size());
  }

  /** Publishes every track's frames in timestamp order, with each uid's joins and leaves where its stretches are. */
  private void play(Map<String, Uid> uids, List<Track> tracks) throws InterruptedException, FrameGrabber.Exception {
    while (!stopping) {
      Track next = null;
      for (Track t : tracks) {
        if (!t.done && (next == null || t.headUs < next.headUs)) {
          next = t;
        }
      }
      long now = next == null ? Long.MAX_VALUE : next.headUs;
      for (Uid u : uids.values()) {
        passTo(u, now);
      }
      if (next == null) {
        return;
      }
      publish(next);
      next.advance();
    }
  }

  /** The merged time reached {@code now}: kinds and stretches of {@code u} that ended before it stop. */
  private void passTo(Uid u, long now) throws InterruptedException {
    if (u.out == null) {
      return;
    }
    for (Map.Entry<MediaKind, List<Presence.Interval>> e : u.kinds.entrySet()) {
      if (u.out.receiving(e.getKey())) {
        Presence.Interval in = Presence.at(e.getValue(), now, TOLERANCE_US);
        if (in == null || !in.contains(now, TOLERANCE_US)) {
          // It stopped where its last stretch before now ended (UidFrames keeps it after its last frame).
          u.out.setReceiving(e.getKey(), false, endBefore(e.getValue(), now), "no media");
        }
      }
    }
    if (u.current != null && now > u.current.endUs() + TOLERANCE_US) {
      u.out.leave("left");
      u.out = null;
      u.current = null;
    }
  }

  /** The end of the last interval that starts before {@code now} (0 if none). */
  private static long endBefore(List<Presence.Interval> intervals, long now) {
    long end = 0;
    for (Presence.Interval i : intervals) {
      if (i.startUs() <= now) {
        end = Math.min(now, i.endUs());
      }
    }
    return end;
  }

  private void publish(Track t) throws InterruptedException {
    Uid u = t.uid;
    long ts = t.headUs;
    if (u.out == null) {
      Presence.Interval in = Presence.at(u.presence, ts, TOLERANCE_US);
      if (in == null || !in.contains(ts, TOLERANCE_US)) {
        // Media outside every stretch of slices (a slice's EXTINF was short): a stretch of its own.
        in = new Presence.Interval(ts, ts);
      }
      u.current = in;
      // joined the original recording at the stretch's start: the layout keeps that order
      u.out = frames.open(u.uid, 1 + Math.max(0, in.startUs()), ctx.maxInFlight(), states);
      u.out.join(Math.min(in.startUs(), ts));
    } else if (ts > u.current.endUs()) {
      u.current = new Presence.Interval(u.current.startUs(), ts);
    }
    if (!u.out.receiving(t.headKind)) {
      u.out.setReceiving(t.headKind, true, ts, null);
    }
    if (t.headKind == MediaKind.VIDEO) {
      u.out.video(ts, (VideoFrame) t.headBody);
    } else {
      u.out.audio(ts, (AudioFrame) t.headBody);
    }
  }

  private void downloadFailed(StorageConfig storage, String fileName, String reason) {
    log.warn("job {}: {} of recording {} cannot be read back: {}", spec.getJobId(), fileName,
        post.getSourceJobId(), reason);
    DownloadFailed event = DownloadFailed.newBuilder()
        .setVendor(storage == null ? StoredSources.LOCAL_VENDOR : storage.getVendor())
        .setRegion(storage == null ? "0" : storage.getRegion())
        .setBucket(storage == null ? "" : storage.getBucket())
        .setFileName(fileName)
        .build();
    ctx.event(post.getSourceJobId(), spec.getChannel(), spec.getRecorderUid(), event);
  }
}
