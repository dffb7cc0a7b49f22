package io.capstan.storage;

import java.nio.file.Path;

/**
 * How the stores are built: the local root (vendor 99) and the size rules of multipart uploads.
 * {@code partSize} is at least 5 MiB (S3's smallest part but the last).
 */
public record StoreSettings(Path localRoot, long multipartThreshold, int partSize) {

  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  public StoreSettings {
    localRoot = localRoot.toAbsolutePath().normalize();
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException("the multipart part size must be at least 5 MiB, got " + partSize);
    }
    if (multipartThreshold < partSize) {
      throw new IllegalArgumentException("the multipart threshold must be at least one part (" + partSize
          + " bytes), got " + multipartThreshold);
    }
  }

  /** The defaults: multipart from 16 MiB on, in 8 MiB parts. */
  public static StoreSettings local(Path root) {
    return new StoreSettings(root, 16L << 20, 8 << 20);
  }
}
