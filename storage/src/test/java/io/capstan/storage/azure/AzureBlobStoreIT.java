package io.capstan.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.capstan.schemas.StorageConfig;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.ObjectStoreContract;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFactory;
import io.capstan.storage.StoreSettings;
import io.capstan.storage.testing.Azurite;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ObjectStore contract on Azure Blob (vendor 5) against Azurite, started from npm by the test. */
class AzureBlobStoreIT extends ObjectStoreContract {

  private static final AtomicInteger CONTAINERS = new AtomicInteger();
  private static Azurite azurite;

  @BeforeAll
  static void startAzurite() throws Exception {
    azurite = Azurite.start(Files.createTempDirectory("azurite"));
  }

  @AfterAll
  static void stopAzurite() throws Exception {
    if (azurite != null) {
      azurite.close();
    }
  }

  private static StorageConfig.Builder config(String container) {
    return StorageConfig.newBuilder().setVendor(5).setBucket(container).setAccessKey(Azurite.ACCOUNT)
        .setSecretKey(Azurite.KEY).setEndpoint(azurite.endpoint());
  }

  private static String newContainer() {
    String name = "container" + CONTAINERS.incrementAndGet();
    new BlobServiceClientBuilder().endpoint(azurite.endpoint())
        .credential(new StorageSharedKeyCredential(Azurite.ACCOUNT, Azurite.KEY)).buildClient()
        .createBlobContainer(name);
    return name;
  }

  private static StoreFactory factory() {
    return new StoreFactory(new StoreSettings(Path.of("target"), TEST_THRESHOLD, TEST_PART));
  }

  @Override
  protected ObjectStore newStore() throws Exception {
    return factory().open(config(newContainer()).build());
  }

  @Test
  void aWrongKeyIsAccessDeniedNamingTheContainerNotTheKey() throws Exception {
    String container = newContainer();
    String wrongKey = Base64.getEncoder().encodeToString("not the account key at all, 64 bytes long......".getBytes());
    try (ObjectStore wrong = factory().open(config(container).setSecretKey(wrongKey).build())) {
      assertThatThrownBy(() -> wrong.put("a.ts", ByteBuffer.wrap(new byte[] {1}), 0, true))
          .isInstanceOf(StoreException.class)
          .hasMessage("storage: access denied for bucket " + container
              + " (check accessKey/secretKey and the bucket policy)");
    }
  }

  @Test
  void aMissingContainerIsPermanent() throws Exception {
    try (ObjectStore missing = factory().open(config("nosuchcontainer").build())) {
      assertThatThrownBy(() -> missing.put("a.ts", ByteBuffer.wrap(new byte[] {1}), 0, true))
          .isInstanceOf(StoreException.class)
          .satisfies(e -> assertThat(((StoreException) e).category()).isEqualTo(StoreException.Category.NO_BUCKET));
    }
  }
}
