package io.capstan.storage.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.capstan.schemas.StorageConfig;
import io.capstan.storage.ChunkedStore;
import io.capstan.storage.ContentTypes;
import io.capstan.storage.Endpoints;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFailures;
import io.capstan.storage.StoreSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Vendor 5, Azure Blob: accessKey = account, secretKey = account key, bucket = container. A job
 * without keys uses the environment's Azure identity (DefaultAzureCredential). Large files are
 * staged as blocks and committed as one block list; {@code endpoint} overrides the account's
 * address (Azurite: {@code http://127.0.0.1:10000/devstoreaccount1}).
 */
public final class AzureBlobStore extends ChunkedStore {

  private static final Set<BlobErrorCode> REFUSED = Set.of(BlobErrorCode.AUTHENTICATION_FAILED,
      BlobErrorCode.AUTHORIZATION_FAILURE, BlobErrorCode.INSUFFICIENT_ACCOUNT_PERMISSIONS,
      BlobErrorCode.ACCOUNT_IS_DISABLED, BlobErrorCode.AUTHORIZATION_PERMISSION_MISMATCH);

  private final BlobContainerClient container;
  private final StoreFailures failures;

  private AzureBlobStore(BlobContainerClient container, StoreFailures failures, long threshold, int partSize) {
    super(threshold, partSize);
    this.container = container;
    this.failures = failures;
  }

  public static void check(StorageConfig storage) throws StoreException {
    if (storage.getBucket() == null || storage.getBucket().isBlank()) {
      throw new StoreException(StoreException.Category.INVALID, "storage: bucket (the Azure container) is empty");
    }
    endpoint(storage);
  }

  public static AzureBlobStore open(StorageConfig storage, StoreSettings settings) throws StoreException {
    check(storage);
    StoreFailures failures = new StoreFailures("Azure Blob", storage.getBucket(), storage.getAccessKey(),
        storage.getSecretKey(), storage.getStsToken());
    BlobServiceClientBuilder builder = new BlobServiceClientBuilder()
        .endpoint(endpoint(storage).toString())
        // Quick tries in the SDK; longer outages are the delivery's backoff (and backup).
        .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 2, 60, 200L, 1000L, null));
    if (hasKeys(storage)) {
      builder.credential(new StorageSharedKeyCredential(storage.getAccessKey(), storage.getSecretKey()));
    } else {
      builder.credential(new DefaultAzureCredentialBuilder().build());
    }
    return new AzureBlobStore(builder.buildClient().getBlobContainerClient(storage.getBucket()), failures,
        settings.multipartThreshold(), settings.partSize());
  }

  private static boolean hasKeys(StorageConfig storage) {
    return storage.getAccessKey() != null && !storage.getAccessKey().isEmpty()
        && storage.getSecretKey() != null && !storage.getSecretKey().isEmpty();
  }

  private static URI endpoint(StorageConfig storage) throws StoreException {
    URI given = Endpoints.parse(storage.getEndpoint() != null ? storage.getEndpoint()
        : storage.getExtensionParams() == null ? null : storage.getExtensionParams().get("endpoint"));
    if (given != null) {
      return given;
    }
    String account = storage.getAccessKey();
    if (account == null || !account.matches("[a-z0-9]{3,24}")) {
      throw new StoreException(StoreException.Category.INVALID,
          "storage: accessKey must be the Azure storage account name (3-24 lowercase letters and digits)");
    }
    return URI.create("https://" + account + ".blob.core.windows.net");
  }

  private BlockBlobClient blob(String key) {
    return container.getBlobClient(key).getBlockBlobClient();
  }

  @Override
  protected void putWhole(String key, byte[] data, int length) throws StoreException {
    try {
      blob(key).uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(
              length == data.length ? data : java.util.Arrays.copyOf(data, length)))
          .setHeaders(new BlobHttpHeaders().setContentType(ContentTypes.of(key))), null, Context.NONE);
    } catch (RuntimeException e) {
      throw failure(e, key);
    }
  }

  @Override
  protected Multipart begin(String key) {
    BlockBlobClient blob = blob(key);
    List<String> blocks = new ArrayList<>();
    return new Multipart() {
      @Override
      public void part(int number, byte[] data, int length) throws StoreException {
        // Block ids must all have the same length within a blob.
        String id = Base64.getEncoder().encodeToString("%08d".formatted(number).getBytes(StandardCharsets.US_ASCII));
        try {
          blob.stageBlock(id, BinaryData.fromBytes(length == data.length ? data : java.util.Arrays.copyOf(data, length)));
          blocks.add(id);
        } catch (RuntimeException e) {
          throw failure(e, key);
        }
      }

      @Override
      public void complete() throws StoreException {
        try {
          blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(blocks)
              .setHeaders(new BlobHttpHeaders().setContentType(ContentTypes.of(key))), null, Context.NONE);
        } catch (RuntimeException e) {
          throw failure(e, key);
        }
      }

      @Override
      public void abort() {
        // Uncommitted blocks expire on their own (Azure drops them after a week).
      }
    };
  }

  @Override
  public List<String> list(String prefix) throws StoreException {
    try {
      List<String> keys = new ArrayList<>();
      for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), Duration.ofMinutes(1))) {
        keys.add(item.getName());
      }
      keys.sort(null);
      return keys;
    } catch (RuntimeException e) {
      throw failure(e, prefix);
    }
  }

  @Override
  public byte[] get(String key) throws StoreException {
    try {
      return blob(key).downloadContent().toBytes();
    } catch (RuntimeException e) {
      throw failure(e, key);
    }
  }

  @Override
  public void delete(String key) throws StoreException {
    try {
      blob(key).deleteIfExists();
    } catch (RuntimeException e) {
      throw failure(e, key);
    }
  }

  private StoreException failure(RuntimeException e, String key) {
    if (e instanceof BlobStorageException b) {
      int status = b.getStatusCode();
      BlobErrorCode code = b.getErrorCode();
      if (status == 403 || status == 401 || REFUSED.contains(code)) {
        return failures.accessDenied();
      }
      if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code) || BlobErrorCode.CONTAINER_BEING_DELETED.equals(code)) {
        return failures.noBucket();
      }
      if (BlobErrorCode.BLOB_NOT_FOUND.equals(code) || status == 404) {
        return failures.notFound(key);
      }
      if (status >= 500 || status == 429 || status == 408) {
        return failures.unavailable("HTTP " + status + (code == null ? "" : " " + code));
      }
      return failures.invalid("HTTP " + status + (code == null ? "" : " " + code));
    }
    return failures.unavailable(failures.describe(e));
  }
}
