package io.capstan.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.runtime.net.AddressPolicy;
import io.capstan.schemas.StorageConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreEndpointPolicyTest {

  private static final StoreFactory STRICT = new StoreFactory(StoreSettings.local(Path.of("target")),
      AddressPolicy.of(false));

  private static StorageConfig s3(String endpoint, Map<String, String> params) {
    return StorageConfig.newBuilder().setVendor(1).setRegion("0").setBucket("b").setAccessKey("a").setSecretKey("s")
        .setEndpoint(endpoint).setExtensionParams(params).build();
  }

  @Test
  void aCallersEndpointOnAnInternalAddressIsRefusedWhenCheckedAndWhenOpened() {
    for (StorageConfig storage : new StorageConfig[] {s3("http://127.0.0.1:9000", Map.of()),
        s3("http://169.254.169.254", Map.of()), s3(null, Map.of("endpoint", "10.0.0.8:9000"))}) {
      assertThatThrownBy(() -> STRICT.check(storage)).isInstanceOfSatisfying(StoreException.class, e -> {
        assertThat(e.permanent()).isTrue();
        assertThat(e.getMessage()).startsWith("storageConfig.endpoint: host '");
      });
      assertThatThrownBy(() -> STRICT.open(storage)).isInstanceOf(StoreException.class);
    }
  }

  @Test
  void theOperatorsOwnStoresAndAllowedDeploymentsMayBeLocal() throws Exception {
    new StoreFactory(StoreSettings.local(Path.of("target"))).check(s3("http://127.0.0.1:9000", Map.of()));
    STRICT.checkingEndpoints(AddressPolicy.of(true)).check(s3("http://127.0.0.1:9000", Map.of()));
  }
}
