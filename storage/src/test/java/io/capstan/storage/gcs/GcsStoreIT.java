package io.capstan.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.schemas.StorageConfig;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.ObjectStoreContract;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFactory;
import io.capstan.storage.StoreSettings;
import io.capstan.storage.testing.GcsFake;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ObjectStore contract on Google Cloud Storage (vendor 6): the real google-cloud-storage client
 * against {@link GcsFake}, an in-test server of the JSON API (no GCS emulator can run here).
 */
class GcsStoreIT extends ObjectStoreContract {

  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static GcsFake gcs;

  @BeforeAll
  static void startFake() throws Exception {
    gcs = new GcsFake();
  }

  @AfterAll
  static void stopFake() {
    gcs.close();
  }

  private static StorageConfig.Builder config(String bucket) {
    return StorageConfig.newBuilder().setVendor(6).setBucket(bucket).setEndpoint(gcs.endpoint());
  }

  private static StoreFactory factory() {
    return new StoreFactory(new StoreSettings(Path.of("target"), TEST_THRESHOLD, TEST_PART));
  }

  @Override
  protected ObjectStore newStore() throws Exception {
    String bucket = "gcsbucket" + BUCKETS.incrementAndGet();
    gcs.createBucket(bucket);
    return factory().open(config(bucket).build());
  }

  @Test
  void aMissingBucketIsPermanent() throws Exception {
    try (ObjectStore missing = factory().open(config("nosuchbucket").build())) {
      assertThatThrownBy(() -> missing.put("a.ts", ByteBuffer.wrap(new byte[] {1}), 0, true))
          .isInstanceOf(StoreException.class)
          .satisfies(e -> assertThat(((StoreException) e).category()).isEqualTo(StoreException.Category.NO_BUCKET));
    }
  }

  @Test
  void aSecretKeyThatIsNotAServiceAccountKeyIsRefusedWithoutQuotingIt() {
    assertThatThrownBy(() -> factory().open(config("b").setSecretKey("{\"type\":\"service_account\",\"private_key\":"
        + "\"TOPSECRET\"}").build()))
        .isInstanceOf(StoreException.class).hasMessageContaining("not a valid service account JSON key")
        .hasMessageNotContaining("TOPSECRET");
  }
}
