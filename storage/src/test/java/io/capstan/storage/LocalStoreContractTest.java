package io.capstan.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The ObjectStore contract on the local file system (vendor 99). */
class LocalStoreContractTest extends ObjectStoreContract {

  @TempDir
  Path root;

  @Override
  protected ObjectStore newStore() {
    return new LocalStore(root.resolve("bucket"));
  }
}
