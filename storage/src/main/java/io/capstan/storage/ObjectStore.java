package io.capstan.storage;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One bucket of one storage vendor. Keys are relative to the bucket ({@code dir/x/file.ts}). A file
 * arrives as chunks in order; it becomes visible under its key only when its last chunk is stored,
 * and writing the same chunks again gives the same file (the uploader re-sends after a restart or a
 * failed try). A store may hold the chunks of an unfinished file in memory: the delivery commits no
 * offset past the first chunk of a file that is not complete, so a lost buffer is sent again.
 * Implementations are used by one thread at a time.
 */
public interface ObjectStore extends AutoCloseable {

  /** Stores {@code data} at byte {@code offset} of the file {@code key}; {@code last} completes it. */
  void put(String key, ByteBuffer data, long offset, boolean last) throws StoreException;

  /** Keys of complete files that start with {@code prefix}, sorted. */
  List<String> list(String prefix) throws StoreException;

  /** The bytes of the complete file {@code key} (category NOT_FOUND when there is none). */
  byte[] get(String key) throws StoreException;

  /**
   * Copies the complete file {@code key} to the local file {@code target} (replaced if present),
   * for readers that hand files to FFmpeg. Stores that can stream override this.
   */
  default void download(String key, java.nio.file.Path target) throws StoreException {
    byte[] bytes = get(key);
    try {
      java.nio.file.Files.createDirectories(target.toAbsolutePath().getParent());
      java.nio.file.Files.write(target, bytes);
    } catch (java.io.IOException e) {
      throw new StoreException("cannot write " + target.getFileName() + " locally: " + e.getClass().getSimpleName(),
          false, e);
    }
  }

  /** Removes the file {@code key}; removing a missing file is not an error. */
  void delete(String key) throws StoreException;

  /** Drops what was kept of an unfinished {@code key} (its chunks will be sent again from offset 0). */
  default void abort(String key) {
  }

  @Override
  default void close() {
  }
}
