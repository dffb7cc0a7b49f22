package io.capstan.storage.s3;

import io.capstan.schemas.StorageConfig;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFailures;
import io.capstan.storage.StoreSettings;
import io.capstan.storage.Endpoints;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Builds the S3 store of a job's storageConfig: vendor, region (code or name), endpoint, keys (or the
 * SDK's default credential chain when the job gives none), and the extensionParams sse and tag.
 * {@link #check} validates the same without touching the network, so a job's mistakes are reported
 * when the job starts.
 */
public final class S3Stores {

  /** S3's signing region for stores that have none of their own (self-hosted endpoints). */
  static final String DEFAULT_REGION = "us-east-1";

  private S3Stores() {
  }

  /** What a store would be built from: validated, nothing opened. */
  record Target(S3Vendor vendor, String region, URI endpoint, boolean pathStyle, ServerSideEncryption sse,
                String tagging) {
  }

  public static void check(StorageConfig storage) throws StoreException {
    target(storage);
  }

  public static S3Store open(StorageConfig storage, StoreSettings settings) throws StoreException {
    Target target = target(storage);
    StoreFailures failures = new StoreFailures(target.vendor.displayName(), storage.getBucket(),
        storage.getAccessKey(), storage.getSecretKey(), storage.getStsToken());
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(target.region))
        .credentialsProvider(credentials(storage))
        .forcePathStyle(target.pathStyle)
        .httpClientBuilder(ApacheHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(60)))
        // A few quick tries inside the SDK; longer outages are the delivery's backoff (and backup).
        .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(2)));
    if (target.endpoint != null) {
      builder.endpointOverride(target.endpoint);
    }
    if (target.vendor != S3Vendor.AMAZON || target.pathStyle) {
      // Checksum headers and trailers beyond Content-MD5 are Amazon's; other stores refuse or mangle them.
      builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return new S3Store(builder.build(), storage.getBucket(), target.region, target.sse, target.tagging, failures,
        settings.multipartThreshold(), settings.partSize());
  }

  static Target target(StorageConfig storage) throws StoreException {
    S3Vendor vendor = S3Vendor.of(storage.getVendor()).orElseThrow(() -> new StoreException(
        StoreException.Category.INVALID, "storage: vendor " + storage.getVendor() + " is not an S3 vendor"));
    String bucket = storage.getBucket();
    if (bucket == null || bucket.isBlank()) {
      throw invalid("storage: bucket is empty");
    }
    Map<String, String> params = storage.getExtensionParams() == null ? Map.of() : storage.getExtensionParams();
    URI endpoint = Endpoints.parse(storage.getEndpoint() != null ? storage.getEndpoint() : params.get("endpoint"));
    String regionGiven = storage.getRegion() == null || storage.getRegion().isBlank() ? "0" : storage.getRegion().trim();
    String region = region(vendor, regionGiven, endpoint != null);
    boolean pathStyle = endpoint != null;
    if (endpoint == null) {
      if (vendor == S3Vendor.CUSTOM) {
        throw invalid("storage: vendor 11 needs its store's address in extensionParams.endpoint");
      }
      endpoint = vendor.endpoint(region).map(URI::create).orElse(null);
    }
    return new Target(vendor, region, endpoint, pathStyle, sse(params.get("sse")), tagging(params.get("tag")));
  }

  private static String region(S3Vendor vendor, String given, boolean ownEndpoint) throws StoreException {
    if (!S3Regions.isCode(given)) {
      return given;
    }
    if (vendor == S3Vendor.AMAZON) {
      return S3Regions.name(Integer.parseInt(given)).orElseThrow(() -> invalid("storage: region code " + given
          + " of Amazon S3 is unknown; give the region's name (e.g. \"eu-west-1\")"));
    }
    if (ownEndpoint || vendor == S3Vendor.CUSTOM) {
      // The endpoint names the store; the code means nothing to it, and SigV4 needs some region.
      return DEFAULT_REGION;
    }
    return S3Regions.name(vendor, Integer.parseInt(given)).orElseThrow(() -> invalid("storage: region code "
        + given + " of " + vendor.displayName() + " is not in the hosted product's table; give the region's name "
        + "(e.g. \"" + example(vendor) + "\")"));
  }

  private static String example(S3Vendor vendor) {
    return switch (vendor) {
      case QINIU -> "cn-east-1";
      case ALIYUN -> "oss-cn-hangzhou";
      case TENCENT -> "ap-guangzhou";
      case KINGSOFT -> "cn-beijing";
      case HUAWEI -> "cn-north-4";
      case BAIDU -> "bj";
      default -> "us-east-1";
    };
  }

  private static ServerSideEncryption sse(String value) throws StoreException {
    if (value == null || value.isBlank()) {
      return null;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "aes256" -> ServerSideEncryption.AES256;
      case "kms" -> ServerSideEncryption.AWS_KMS;
      default -> throw invalid("storage: extensionParams.sse must be \"aes256\" or \"kms\"");
    };
  }

  private static String tagging(String value) throws StoreException {
    if (value == null || value.isBlank()) {
      return null;
    }
    for (String pair : value.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw invalid("storage: extensionParams.tag must be key=value");
      }
    }
    return value;
  }

  private static AwsCredentialsProvider credentials(StorageConfig storage) {
    String access = storage.getAccessKey();
    String secret = storage.getSecretKey();
    if (access == null || access.isEmpty() || secret == null || secret.isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    String token = storage.getStsToken();
    return StaticCredentialsProvider.create(token == null || token.isEmpty()
        ? AwsBasicCredentials.create(access, secret)
        : AwsSessionCredentials.create(access, secret, token));
  }

  private static StoreException invalid(String message) {
    return new StoreException(StoreException.Category.INVALID, message);
  }
}
