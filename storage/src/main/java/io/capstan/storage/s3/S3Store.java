package io.capstan.storage.s3;

import io.capstan.storage.ChunkedStore;
import io.capstan.storage.ContentTypes;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * One bucket of Amazon S3 or an S3-compatible vendor (built by {@link S3Stores}). Small files are
 * one PutObject, large ones a multipart upload; server-side encryption and tags from the job's
 * extensionParams go on every object.
 */
public final class S3Store extends ChunkedStore {

  private static final Set<String> REFUSED = Set.of("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch",
      "InvalidToken", "AllAccessDisabled", "AccountProblem",
      "InvalidSecurity", "Forbidden");
  private static final Set<String> WRONG_REGION = Set.of("PermanentRedirect", "AuthorizationHeaderMalformed",
      "IllegalLocationConstraintException", "Redirect", "TemporaryRedirect");
  private static final Set<String> BUSY = Set.of("SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable",
      "Throttling", "ThrottlingException", "RequestLimitExceeded");

  private final S3Client client;
  private final String bucket;
  private final String region;
  private final ServerSideEncryption sse;
  private final String tagging;
  private final StoreFailures failures;

  S3Store(S3Client client, String bucket, String region, ServerSideEncryption sse, String tagging,
          StoreFailures failures, long multipartThreshold, int partSize) {
    super(multipartThreshold, partSize);
    this.client = client;
    this.bucket = bucket;
    this.region = region;
    this.sse = sse;
    this.tagging = tagging;
    this.failures = failures;
  }

  @Override
  protected void putWhole(String key, byte[] data, int length) throws StoreException {
    try {
      client.putObject(b -> b.bucket(bucket).key(key).contentType(ContentTypes.of(key)).contentLength((long) length)
              .serverSideEncryption(sse).tagging(tagging),
          RequestBody.fromBytes(length == data.length ? data : java.util.Arrays.copyOf(data, length)));
    } catch (SdkException e) {
      throw failure(e, key);
    }
  }

  @Override
  protected Multipart begin(String key) throws StoreException {
    String uploadId;
    try {
      uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(ContentTypes.of(key))
          .serverSideEncryption(sse).tagging(tagging)).uploadId();
    } catch (SdkException e) {
      throw failure(e, key);
    }
    List<CompletedPart> done = new ArrayList<>();
    return new Multipart() {
      @Override
      public void part(int number, byte[] data, int length) throws StoreException {
        try {
          String etag = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
              .contentLength((long) length), RequestBody.fromBytes(data.length == length ? data
              : java.util.Arrays.copyOf(data, length))).eTag();
          done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        } catch (SdkException e) {
          throw failure(e, key);
        }
      }

      @Override
      public void complete() throws StoreException {
        try {
          client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
              .multipartUpload(m -> m.parts(done)));
        } catch (SdkException e) {
          throw failure(e, key);
        }
      }

      @Override
      public void abort() {
        try {
          client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
          // An upload left behind is removed by the bucket's lifecycle rule, if any; nothing else to do.
        }
      }
    };
  }

  @Override
  public List<String> list(String prefix) throws StoreException {
    try {
      List<String> keys = new ArrayList<>();
      client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
          .map(S3Object::key).forEach(keys::add);
      keys.sort(null);
      return keys;
    } catch (SdkException e) {
      throw failure(e, prefix);
    }
  }

  @Override
  public byte[] get(String key) throws StoreException {
    try {
      return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    } catch (SdkException e) {
      throw failure(e, key);
    }
  }

  @Override
  public void delete(String key) throws StoreException {
    try {
      client.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw failure(e, key);
    }
  }

  @Override
  public void close() {
    super.close();
    client.close();
  }

  /** The user's faults are permanent; throttling, server errors and the network are retried. */
  StoreException failure(SdkException e, String key) {
    if (e instanceof S3Exception s3) {
      int status = s3.statusCode();
      String code = s3.awsErrorDetails() == null || s3.awsErrorDetails().errorCode() == null ? ""
          : s3.awsErrorDetails().errorCode();
      if (code.equals("RequestTimeTooSkewed")) {
        return failures.invalid("the uploader's clock differs too much from the store's (RequestTimeTooSkewed)");
      }
      if (code.equals("ExpiredToken") || code.equals("TokenRefreshRequired")) {
        // Renewable: the user sends storageConfig again in an update; each retry reads the job's latest.
        return failures.unavailable("the stsToken has expired (send a new one with update)");
      }
      if (status == 403 || REFUSED.contains(code)) {
        return failures.accessDenied();
      }
      if (code.equals("NoSuchBucket")) {
        return failures.noBucket();
      }
      if (code.equals("NoSuchKey") || (status == 404 && code.isEmpty())) {
        return failures.notFound(key);
      }
      if (status == 301 || WRONG_REGION.contains(code)) {
        return failures.wrongRegion(region);
      }
      if (status >= 500 || status == 429 || status == 408 || BUSY.contains(code)) {
        return failures.unavailable("HTTP " + status + (code.isEmpty() ? "" : " " + code));
      }
      return failures.invalid("HTTP " + status + (code.isEmpty() ? "" : " " + code));
    }
    return failures.unavailable(failures.describe(e));
  }
}
