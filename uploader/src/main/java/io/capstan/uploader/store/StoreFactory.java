package io.capstan.uploader.store;

import io.capstan.schemas.StorageConfig;
import io.capstan.uploader.path.ObjectPaths;
import java.nio.file.Path;

/**
 * Picks the store for a job's storageConfig. Only vendor 99 (and no storage at all) exist yet: the
 * local file system under the uploader's root. Other vendors are refused with a message the user
 * sees in an error event.
 */
public final class StoreFactory {

  public static final int LOCAL_VENDOR = 99;

  private final Path localRoot;

  public StoreFactory(Path localRoot) {
    this.localRoot = localRoot.toAbsolutePath().normalize();
  }

  public ObjectStore open(StorageConfig storage) throws StoreException {
    if (storage == null) {
      return new LocalStore(localRoot);
    }
    if (storage.getVendor() != LOCAL_VENDOR) {
      throw new StoreException("storage vendor " + storage.getVendor() + " is not supported yet; use vendor "
          + LOCAL_VENDOR + " (the uploader's local file system)", true);
    }
    String bucket = storage.getBucket() == null ? "" : storage.getBucket();
    if (bucket.isEmpty()) {
      return new LocalStore(localRoot);
    }
    ObjectPaths.requireFileName(bucket);
    return new LocalStore(localRoot.resolve(bucket));
  }
}
