package io.capstan.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.schemas.StorageConfig;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.ObjectStoreContract;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFactory;
import io.capstan.storage.StoreSettings;
import io.capstan.storage.testing.S3ProxyServer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ObjectStore contract on Amazon S3's protocol (vendor 1, endpoint override) against s3proxy. */
class S3StoreIT extends ObjectStoreContract {

  private static S3ProxyServer s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.start();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  static StoreFactory factory() {
    return new StoreFactory(new StoreSettings(Path.of("target"), TEST_THRESHOLD, TEST_PART));
  }

  static StorageConfig.Builder config(S3ProxyServer server, int vendor, String bucket) {
    return StorageConfig.newBuilder().setVendor(vendor).setRegion("0").setBucket(bucket)
        .setAccessKey(S3ProxyServer.ACCESS_KEY).setSecretKey(S3ProxyServer.SECRET_KEY).setEndpoint(server.endpoint());
  }

  private static StorageConfig.Builder config(int vendor, String bucket) {
    return config(s3, vendor, bucket);
  }

  @Override
  protected ObjectStore newStore() throws Exception {
    return factory().open(config(1, s3.newBucket()).build());
  }

  @Test
  void encryptionAndTagsFromExtensionParamsAreAccepted() throws Exception {
    String bucket = s3.newBucket();
    try (ObjectStore tagged = factory().open(config(1, bucket)
        .setExtensionParams(Map.of("sse", "aes256", "tag", "app=capstan")).build())) {
      byte[] small = random(100, 8);
      tagged.put("t/a.ts", ByteBuffer.wrap(small), 0, true);
      byte[] large = random(7 << 20, 9);
      tagged.put("t/b.ts", ByteBuffer.wrap(large), 0, true);
      assertThat(tagged.get("t/a.ts")).isEqualTo(small);
      assertThat(tagged.get("t/b.ts")).isEqualTo(large);
    }
  }

  @Test
  void aWrongSecretIsAccessDeniedNamingTheBucketNotTheSecret() throws Exception {
    String bucket = s3.newBucket();
    try (ObjectStore wrong = factory().open(config(1, bucket).setSecretKey("WRONG-SECRET-xyz-123").build())) {
      assertThatThrownBy(() -> wrong.put("a.ts", ByteBuffer.wrap(new byte[] {1}), 0, true))
          .isInstanceOf(StoreException.class)
          .hasMessage("storage: access denied for bucket " + bucket
              + " (check accessKey/secretKey and the bucket policy)")
          .satisfies(e -> assertThat(((StoreException) e).permanent()).isTrue())
          .satisfies(e -> assertThat(e.getCause()).isNull());
    }
  }

  @Test
  void aMissingBucketIsPermanent() throws Exception {
    try (ObjectStore missing = factory().open(config(1, "nosuchbucket").build())) {
      assertThatThrownBy(() -> missing.put("a.ts", ByteBuffer.wrap(new byte[] {1}), 0, true))
          .isInstanceOf(StoreException.class).hasMessageContaining("bucket nosuchbucket does not exist")
          .satisfies(e -> assertThat(((StoreException) e).category()).isEqualTo(StoreException.Category.NO_BUCKET));
    }
  }

  @Test
  void anUnreachableStoreIsRetryable() throws Exception {
    try (ObjectStore down = factory().open(config(1, "b").setEndpoint("http://127.0.0.1:1").build())) {
      assertThatThrownBy(() -> down.put("a.ts", ByteBuffer.wrap(new byte[] {1}), 0, true))
          .isInstanceOf(StoreException.class)
          .satisfies(e -> assertThat(((StoreException) e).permanent()).isFalse())
          .hasMessageNotContaining(S3ProxyServer.SECRET_KEY);
    }
  }
}
