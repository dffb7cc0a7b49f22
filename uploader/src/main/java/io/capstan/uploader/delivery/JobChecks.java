package io.capstan.uploader.delivery;

import io.capstan.schemas.JobSpec;
import io.capstan.schemas.StorageConfig;
import io.capstan.storage.path.InvalidPathException;
import io.capstan.storage.path.ObjectPaths;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFactory;
import java.util.List;
import java.util.Optional;

/**
 * What is wrong with a job's storage settings before any file is written: fileNamePrefix against
 * the reference's rules, then vendor, region, bucket, endpoint and extensionParams. No network:
 * refused keys and missing buckets show at the first file.
 */
final class JobChecks {

  /** A user's mistake: the error code and a message saying what to fix. */
  record Problem(int code, String message) {
  }

  private final StoreFactory stores;

  JobChecks(StoreFactory stores) {
    this.stores = stores;
  }

  Optional<Problem> problem(JobSpec spec) {
    StorageConfig storage = spec.getStorage();
    try {
      ObjectPaths.prefix(storage == null ? List.of() : storage.getFileNamePrefix());
    } catch (InvalidPathException e) {
      return Optional.of(new Problem(UploadErrors.PATH, "storage: " + e.getMessage()));
    }
    try {
      stores.check(storage);
    } catch (StoreException e) {
      return Optional.of(new Problem(UploadErrors.STORAGE, e.getMessage()));
    } catch (InvalidPathException e) {
      return Optional.of(new Problem(UploadErrors.STORAGE, "storage: bucket: " + e.getMessage()));
    }
    return Optional.empty();
  }
}
