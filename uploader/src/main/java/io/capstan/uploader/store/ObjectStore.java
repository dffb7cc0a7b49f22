package io.capstan.uploader.store;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One bucket of one storage vendor. Keys are relative to the bucket ({@code dir/x/file.ts}). A file
 * arrives as chunks in order; it becomes visible under its key only when its last chunk is stored,
 * and writing the same chunks again gives the same file (the uploader re-sends after a restart).
 */
public interface ObjectStore extends AutoCloseable {

  /** Stores {@code data} at byte {@code offset} of the file {@code key}; {@code last} completes it. */
  void put(String key, ByteBuffer data, long offset, boolean last) throws StoreException;

  /** Keys of complete files that start with {@code prefix}, sorted. */
  List<String> list(String prefix) throws StoreException;

  @Override
  default void close() {
  }
}
