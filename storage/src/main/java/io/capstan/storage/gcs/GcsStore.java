package io.capstan.storage.gcs;

import com.google.api.gax.paging.Page;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import io.capstan.schemas.StorageConfig;
import io.capstan.storage.ChunkedStore;
import io.capstan.storage.ContentTypes;
import io.capstan.storage.Endpoints;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFailures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Vendor 6, Google Cloud Storage over its JSON API. secretKey is a service account's JSON key; a
 * job without it uses the environment's Application Default Credentials, or no credentials at all
 * when it names its own {@code endpoint} (a stand-in server). Each file is one upload request once
 * its last chunk is here (the client library sends it as a multipart upload); GCS has no
 * S3-style parts to stream a file with, and recording files are small enough to hold.
 */
public final class GcsStore extends ChunkedStore {

  /** Project for requests that need none (object reads and writes) when the credentials name none. */
  static final String PLACEHOLDER_PROJECT = "capstan";

  private final Storage storage;
  private final String bucket;
  private final StoreFailures failures;

  private GcsStore(Storage storage, String bucket, StoreFailures failures, int partSize) {
    super(Long.MAX_VALUE, partSize);
    this.storage = storage;
    this.bucket = bucket;
    this.failures = failures;
  }

  public static void check(StorageConfig config) throws StoreException {
    if (config.getBucket() == null || config.getBucket().isBlank()) {
      throw new StoreException(StoreException.Category.INVALID, "storage: bucket is empty");
    }
    endpoint(config);
    if (hasKey(config) && !config.getSecretKey().trim().startsWith("{")) {
      throw new StoreException(StoreException.Category.INVALID,
          "storage: secretKey of Google Cloud Storage must be a service account's JSON key");
    }
  }

  public static GcsStore open(StorageConfig config, io.capstan.storage.StoreSettings settings)
      throws StoreException {
    check(config);
    StoreFailures failures = new StoreFailures("Google Cloud Storage", config.getBucket(), config.getAccessKey(),
        config.getSecretKey(), config.getStsToken());
    URI endpoint = endpoint(config);
    StorageOptions.Builder options = StorageOptions.http()
        .setTransportOptions(HttpTransportOptions.newBuilder().setConnectTimeout(5_000).setReadTimeout(60_000).build())
        // Tries are the delivery's business (backoff, backup): one request per call here.
        .setRetrySettings(ServiceOptions.getNoRetrySettings());
    if (endpoint != null) {
      options.setHost(endpoint.toString().replaceAll("/+$", ""));
    }
    String project = PLACEHOLDER_PROJECT;
    if (hasKey(config)) {
      try {
        ServiceAccountCredentials credentials = ServiceAccountCredentials.fromStream(
            new ByteArrayInputStream(config.getSecretKey().getBytes(StandardCharsets.UTF_8)));
        options.setCredentials(credentials);
        if (credentials.getProjectId() != null) {
          project = credentials.getProjectId();
        }
      } catch (IOException | RuntimeException e) {
        // The parser's message may quote the key: say only what is wrong.
        throw new StoreException(StoreException.Category.INVALID,
            "storage: secretKey of Google Cloud Storage is not a valid service account JSON key");
      }
    } else if (endpoint != null) {
      options.setCredentials(NoCredentials.getInstance());
    } else {
      try {
        options.setCredentials(GoogleCredentials.getApplicationDefault());
      } catch (IOException e) {
        throw new StoreException(StoreException.Category.INVALID, "storage: the job gives no secretKey for Google"
            + " Cloud Storage and the uploader has no Application Default Credentials");
      }
    }
    options.setProjectId(project);
    return new GcsStore(options.build().getService(), config.getBucket(), failures,
        settings.partSize());
  }

  private static boolean hasKey(StorageConfig config) {
    return config.getSecretKey() != null && !config.getSecretKey().isBlank();
  }

  private static URI endpoint(StorageConfig config) throws StoreException {
    return Endpoints.parse(config.getEndpoint() != null ? config.getEndpoint()
        : config.getExtensionParams() == null ? null : config.getExtensionParams().get("endpoint"));
  }

  @Override
  protected void putWhole(String key, byte[] data, int length) throws StoreException {
    try {
      // Media does not compress: no gzip of the upload.
      storage.create(BlobInfo.newBuilder(bucket, key).setContentType(ContentTypes.of(key)).build(), data, 0, length,
          Storage.BlobTargetOption.disableGzipContent());
    } catch (RuntimeException e) {
      throw failure(e, key, true);
    }
  }

  @Override
  protected Multipart begin(String key) {
    throw new IllegalStateException("GCS files are stored whole");
  }

  @Override
  public List<String> list(String prefix) throws StoreException {
    try {
      List<String> keys = new ArrayList<>();
      Page<Blob> page = storage.list(bucket, Storage.BlobListOption.prefix(prefix));
      for (Blob blob : page.iterateAll()) {
        keys.add(blob.getName());
      }
      keys.sort(null);
      return keys;
    } catch (RuntimeException e) {
      throw failure(e, prefix, true);
    }
  }

  @Override
  public byte[] get(String key) throws StoreException {
    try {
      return storage.readAllBytes(BlobId.of(bucket, key));
    } catch (RuntimeException e) {
      throw failure(e, key, false);
    }
  }

  @Override
  public void delete(String key) throws StoreException {
    try {
      storage.delete(BlobId.of(bucket, key));
    } catch (RuntimeException e) {
      throw failure(e, key, true);
    }
  }

  @Override
  public void close() {
    super.close();
    try {
      storage.close();
    } catch (Exception e) {
      // nothing held that matters
    }
  }

  /** {@code bucketLevel}: a 404 means the bucket is missing (writes, lists), else the object. */
  private StoreException failure(RuntimeException e, String key, boolean bucketLevel) {
    if (e instanceof StorageException s) {
      int code = s.getCode();
      if (code == 401 || code == 403) {
        return failures.accessDenied();
      }
      if (code == 404) {
        return bucketLevel ? failures.noBucket() : failures.notFound(key);
      }
      if (code == 0 || code >= 500 || code == 429 || code == 408) {
        return failures.unavailable(code == 0 ? failures.describe(e) : "HTTP " + code);
      }
      return failures.invalid("HTTP " + code + (s.getReason() == null ? "" : " " + s.getReason()));
    }
    return failures.unavailable(failures.describe(e));
  }
}
