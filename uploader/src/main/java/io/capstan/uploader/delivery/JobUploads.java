package io.capstan.uploader.delivery;

import io.capstan.schemas.FileChunk;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.StorageConfig;
import io.capstan.uploader.backup.JobRoute;
import io.capstan.storage.ObjectStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the uploader knows of one job while its files arrive: its store, whether it started, whether
 * its storage settings failed (for which settings: an update with new ones tries again), its
 * playlists, and when its primary started failing (when no backup shares that). Its writer thread
 * and the polling thread (job checks, progress reports) share it, hence the locking.
 */
final class JobUploads {

  private final Map<String, FileEntry> playlists = new LinkedHashMap<>();
  private final Map<String, Long> firstSliceUtc = new HashMap<>();
  /** MP4 files (avFileType ["hls", "mp4"]) and a post-processing job's audio files, listed after the playlists. */
  private final Map<String, FileEntry> outputs = new LinkedHashMap<>();
  private long lastSliceEndUtcMs;
  private final JobRoute route;
  private StorageConfig storage;
  private ObjectStore store;
  private boolean started;
  /** A snapshot was stored: a snapshot-only job (no playlists) did record something. */
  private boolean snapshotStored;
  /** "warnCode:file" of the upload warnings sent: one per file and kind, not one per retry. */
  private final java.util.Set<String> warned = new java.util.HashSet<>();
  private boolean failed;
  private StorageConfig failedStorage;

  JobUploads(JobRoute route) {
    this.route = route;
  }

  /** Shared with the backup copier; null without a backup store. */
  synchronized JobRoute route() {
    return route;
  }

  synchronized boolean started() {
    return started;
  }

  synchronized void markStarted() {
    started = true;
  }

  /** True when the job's files cannot be stored with {@code current} settings (reported already). */
  synchronized boolean failed(StorageConfig current) {
    if (failed && !Objects.equals(failedStorage, current)) {
      failed = false; // the user sent new storage settings: try them
      failedStorage = null;
    }
    return failed;
  }

  synchronized boolean failed() {
    return failed;
  }

  synchronized void markFailed(StorageConfig current) {
    failed = true;
    failedStorage = current;
  }

  /** The open store, if it was opened for this very storage config (an update may change it). */
  synchronized ObjectStore store(StorageConfig current) {
    return store != null && Objects.equals(storage, current) ? store : null;
  }

  /** The store last opened, whatever its config (null if none). */
  synchronized ObjectStore openStore() {
    return store;
  }

  synchronized void store(StorageConfig current, ObjectStore opened) {
    close();
    storage = current;
    store = opened;
  }

  /**
   * Notes a stored chunk: playlists, MP4 files (and a post-processing job's files) become the job's fileList.
   *
   * @return true when it completed a playlist this run had not stored before (the fileList grew)
   */
  synchronized boolean stored(FileChunk chunk, boolean postProcessing) {
    if (chunk.getKind() == FileKind.SLICE && chunk.getLast() && chunk.getStartUtcMs() > 0) {
      lastSliceEndUtcMs = Math.max(lastSliceEndUtcMs,
          chunk.getStartUtcMs() + Math.round(chunk.getDurationSeconds() * 1000));
    }
    if (chunk.getLast() && chunk.getKind() == FileKind.SNAPSHOT) {
      snapshotStored = true;
    }
    // MP4 files are the recording's files as much as its playlists (avFileType ["hls", "mp4"]): listed too.
    if (chunk.getLast() && (chunk.getKind() == FileKind.MP4 || postProcessing && chunk.getKind() == FileKind.AUDIO)) {
      outputs.put(chunk.getFileName(), FileEntry.newBuilder()
          .setFileName(chunk.getFileName())
          .setTrackType(chunk.getTrackType())
          .setUid(chunk.getUid().isEmpty() ? "0" : chunk.getUid())
          .setMixedAllUser(chunk.getUid().isEmpty())
          .setIsPlayable(true)
          .setSliceStartTime(chunk.getStartUtcMs())
          .build());
    }
    return stored(chunk);
  }

  /** True the first time a warning {@code warnCode} concerns {@code fileName}. */
  synchronized boolean firstWarning(int warnCode, String fileName) {
    return warned.add(warnCode + ":" + fileName);
  }

  synchronized boolean snapshotStored() {
    return snapshotStored;
  }

  /** UTC ms where the latest slice this run stored ends (0: none). */
  synchronized long lastSliceEndUtcMs() {
    return lastSliceEndUtcMs;
  }

  /** Notes a stored chunk: playlists become the job's fileList; true when a new playlist joined it. */
  private boolean stored(FileChunk chunk) {
    String track = chunk.getUid() + "\n" + chunk.getTrackType();
    if (chunk.getKind() == FileKind.SLICE && chunk.getStartUtcMs() > 0) {
      firstSliceUtc.merge(track, chunk.getStartUtcMs(), Math::min);
    }
    if (chunk.getKind() == FileKind.PLAYLIST && chunk.getLast()) {
      boolean mixed = chunk.getUid().isEmpty();
      long start = chunk.getStartUtcMs() > 0 ? chunk.getStartUtcMs() : firstSliceUtc.getOrDefault(track, 0L);
      return playlists.put(chunk.getFileName(), FileEntry.newBuilder()
          .setFileName(chunk.getFileName())
          .setTrackType(chunk.getTrackType())
          .setUid(mixed ? "0" : chunk.getUid())
          .setMixedAllUser(mixed)
          .setIsPlayable(true)
          .setSliceStartTime(start)
          .build()) == null;
    }
    return false;
  }

  /** The playlists seen by this run, then those only found in the store (a previous run stored them). */
  synchronized List<FileEntry> fileList(Collection<FileEntry> listed) {
    Map<String, FileEntry> all = new LinkedHashMap<>(playlists);
    all.putAll(outputs);
    for (FileEntry entry : listed) {
      all.putIfAbsent(entry.getFileName(), entry);
    }
    return new ArrayList<>(all.values());
  }

  synchronized List<FileEntry> fileList() {
    return fileList(List.of());
  }

  synchronized void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
