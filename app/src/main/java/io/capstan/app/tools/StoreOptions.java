package io.capstan.app.tools;

import io.capstan.schemas.StorageConfig;
import io.capstan.storage.LocalStore;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the recording is: a local folder (--dir) or a store as in storageConfig. */
public final class StoreOptions {

  @Option(names = "--dir", description = "a local folder holding the recording's files (instead of a store)")
  Path dir;
  @Option(names = "--vendor", description = "storageConfig.vendor: 1 Amazon S3, 0-8 and 11 S3-compatible, "
      + "5 Azure Blob, 6 Google Cloud Storage, 99 local (default: 1 with --bucket)")
  Integer vendor;
  @Option(names = "--region", defaultValue = "0", description = "storageConfig.region: code or name (default: 0)")
  String region;
  @Option(names = "--bucket", description = "storageConfig.bucket")
  String bucket;
  @Option(names = "--access-key", description = "storageConfig.accessKey (Azure: account); none: the environment's credentials")
  String accessKey;
  @Option(names = "--secret-key", description = "storageConfig.secretKey")
  String secretKey;
  @Option(names = "--endpoint", description = "an S3-compatible store's address (MinIO, Ceph, R2), path-style")
  String endpoint;
  @Option(names = "--prefix", description = "storageConfig.fileNamePrefix, parts joined by '/' (e.g. dir1/dir2)")
  String prefix;

  /** The prefix parts ("a/b" -> [a, b]). */
  List<String> prefixParts() {
    if (prefix == null || prefix.isBlank()) {
      return List.of();
    }
    return Arrays.stream(prefix.split("/")).filter(p -> !p.isEmpty()).toList();
  }

  ObjectStore open() throws StoreException {
    if (dir != null) {
      if (bucket != null || vendor != null) {
        throw new IllegalArgumentException("--dir reads a local folder: give either --dir or --vendor/--bucket");
      }
      return new LocalStore(dir);
    }
    if (bucket == null) {
      throw new IllegalArgumentException("say where the recording is: --dir FOLDER, or --bucket (with --vendor, "
          + "--region, --access-key, --secret-key, --endpoint as needed)");
    }
    StorageConfig storage = StorageConfig.newBuilder().setVendor(vendor == null ? 1 : vendor).setRegion(region)
        .setBucket(bucket).setAccessKey(accessKey).setSecretKey(secretKey)
        .setEndpoint(endpoint == null || endpoint.isBlank() ? null : endpoint).build();
    StoreFactory factory = new StoreFactory(Path.of("."));
    factory.check(storage);
    return factory.open(storage);
  }

  /** Where the files are, for messages (no keys). */
  String describe() {
    if (dir != null) {
      return dir.toString();
    }
    return "bucket " + bucket + (prefix == null ? "" : " under " + prefix);
  }
}
