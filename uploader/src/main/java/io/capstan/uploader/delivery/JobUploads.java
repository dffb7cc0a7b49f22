package io.capstan.uploader.delivery;

import io.capstan.schemas.FileChunk;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.StorageConfig;
import io.capstan.uploader.store.ObjectStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the uploader knows of one job while its files arrive: its store, whether it started, its playlists. */
final class JobUploads {

  private final Map<String, FileEntry> playlists = new LinkedHashMap<>();
  private final Map<String, Long> firstSliceUtc = new HashMap<>();
  private StorageConfig storage;
  private ObjectStore store;
  private boolean started;
  private boolean failed;

  boolean started() {
    return started;
  }

  void markStarted() {
    started = true;
  }

  boolean failed() {
    return failed;
  }

  void markFailed() {
    failed = true;
  }

  /** The open store, if it was opened for this very storage config (an update may change it). */
  ObjectStore store(StorageConfig current) {
    return store != null && Objects.equals(storage, current) ? store : null;
  }

  void store(StorageConfig current, ObjectStore opened) {
    close();
    storage = current;
    store = opened;
  }

  /** Notes a stored chunk: playlists become the job's fileList. */
  void stored(FileChunk chunk) {
    String track = chunk.getUid() + "\n" + chunk.getTrackType();
    if (chunk.getKind() == FileKind.SLICE && chunk.getStartUtcMs() > 0) {
      firstSliceUtc.merge(track, chunk.getStartUtcMs(), Math::min);
    }
    if (chunk.getKind() == FileKind.PLAYLIST && chunk.getLast()) {
      boolean mixed = chunk.getUid().isEmpty();
      long start = chunk.getStartUtcMs() > 0 ? chunk.getStartUtcMs() : firstSliceUtc.getOrDefault(track, 0L);
      playlists.put(chunk.getFileName(), FileEntry.newBuilder()
          .setFileName(chunk.getFileName())
          .setTrackType(chunk.getTrackType())
          .setUid(mixed ? "0" : chunk.getUid())
          .setMixedAllUser(mixed)
          .setIsPlayable(true)
          .setSliceStartTime(start)
          .build());
    }
  }

  List<FileEntry> fileList() {
    return new ArrayList<>(playlists.values());
  }

  void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
