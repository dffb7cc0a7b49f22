package io.capstan.storage;

import io.capstan.schemas.StorageConfig;
import io.capstan.storage.path.ObjectPaths;
import io.capstan.storage.azure.AzureBlobStore;
import io.capstan.storage.gcs.GcsStore;
import io.capstan.storage.s3.S3Store;
import io.capstan.storage.s3.S3Stores;
import io.capstan.storage.s3.S3Vendor;
import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.net.RefusedAddressException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Picks the store for a job's storageConfig by vendor: 99 (and no storage at all) the local file
 * system under the uploader's root, 5 Azure Blob, 6 Google Cloud Storage, and every S3 vendor
 * (0, 1, 2, 3, 4, 7, 8, 11) through the S3 protocol. {@link #check} finds a config's mistakes
 * without touching the network, so they are reported when the job starts.
 */
public final class StoreFactory {

  public static final int LOCAL_VENDOR = 99;
  public static final int AZURE_VENDOR = 5;
  public static final int GCS_VENDOR = 6;

  private final StoreSettings settings;
  private final AddressPolicy addresses;

  public StoreFactory(Path localRoot) {
    this(StoreSettings.local(localRoot));
  }

  /** Stores on any address: the operator's own (a backup store, the file tools). */
  public StoreFactory(StoreSettings settings) {
    this(settings, AddressPolicy.open());
  }

  /** {@code addresses}: where a job's own endpoint may point (a caller named it). */
  public StoreFactory(StoreSettings settings, AddressPolicy addresses) {
    this.settings = settings;
    this.addresses = addresses;
  }

  /** The same stores, with caller-named endpoints checked by {@code addresses}. */
  public StoreFactory checkingEndpoints(AddressPolicy addresses) {
    return new StoreFactory(settings, addresses);
  }

  /** Validates {@code storage} (vendor, region, bucket, endpoint, extensionParams) without opening it. */
  public void check(StorageConfig storage) throws StoreException {
    if (storage == null) {
      return;
    }
    switch (storage.getVendor()) {
      case LOCAL_VENDOR -> localBucket(storage);
      case AZURE_VENDOR -> AzureBlobStore.check(storage);
      case GCS_VENDOR -> GcsStore.check(storage);
      default -> {
        if (S3Vendor.of(storage.getVendor()).isEmpty()) {
          throw unsupported(storage.getVendor());
        }
        S3Stores.check(storage);
      }
    }
    checkEndpoints(storage);
  }

  /**
   * A job's endpoint (storageConfig.endpoint or extensionParams.endpoint) resolves to addresses the
   * policy allows: checked when the job starts and again whenever a store is opened for it.
   */
  private void checkEndpoints(StorageConfig storage) throws StoreException {
    if (addresses.allowsPrivate()) {
      return;
    }
    for (String endpoint : new String[] {storage.getEndpoint(), storage.getExtensionParams().get("endpoint")}) {
      if (endpoint == null || endpoint.isBlank()) {
        continue;
      }
      String host;
      try {
        host = endpoint.contains("://") ? URI.create(endpoint).getHost() : endpoint.replaceFirst(":[0-9]*$", "");
      } catch (IllegalArgumentException e) {
        throw new StoreException(StoreException.Category.INVALID, "storageConfig.endpoint: not a URL");
      }
      try {
        addresses.resolve(host);
      } catch (RefusedAddressException e) {
        throw new StoreException(StoreException.Category.INVALID, "storageConfig.endpoint: " + e.getMessage());
      }
    }
  }

  public ObjectStore open(StorageConfig storage) throws StoreException {
    if (storage == null) {
      return new LocalStore(settings.localRoot());
    }
    checkEndpoints(storage);
    return switch (storage.getVendor()) {
      case LOCAL_VENDOR -> new LocalStore(localBucket(storage));
      case AZURE_VENDOR -> AzureBlobStore.open(storage, settings);
      case GCS_VENDOR -> GcsStore.open(storage, settings);
      default -> {
        if (S3Vendor.of(storage.getVendor()).isEmpty()) {
          throw unsupported(storage.getVendor());
        }
        S3Store store = S3Stores.open(storage, settings);
        yield store;
      }
    };
  }

  private Path localBucket(StorageConfig storage) {
    String bucket = storage.getBucket() == null ? "" : storage.getBucket();
    if (bucket.isEmpty()) {
      return settings.localRoot();
    }
    ObjectPaths.requireFileName(bucket);
    return settings.localRoot().resolve(bucket);
  }

  private static StoreException unsupported(int vendor) {
    return new StoreException(StoreException.Category.INVALID, "storage vendor " + vendor
        + " is not supported; use 0-8 or 11 (S3-compatible with extensionParams.endpoint) or " + LOCAL_VENDOR
        + " (the uploader's local file system)");
  }
}
