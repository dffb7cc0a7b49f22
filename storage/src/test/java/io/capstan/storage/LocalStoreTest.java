package io.capstan.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.schemas.StorageConfig;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ObjectStore contract, run on the local store. */
class LocalStoreTest {

  @TempDir
  Path root;

  @Test
  void aFileAppearsWholeOnlyWithItsLastChunk() throws Exception {
    ObjectStore store = new StoreFactory(root).open(storage(99, "b"));
    store.put("dir/x/f.ts", ByteBuffer.wrap(new byte[] {1, 2, 3}), 0, false);
    assertThat(root.resolve("b/dir/x/f.ts")).doesNotExist();
    assertThat(store.list("dir/")).isEmpty();
    store.put("dir/x/f.ts", ByteBuffer.wrap(new byte[] {4, 5}), 3, true);
    assertThat(Files.readAllBytes(root.resolve("b/dir/x/f.ts"))).containsExactly(1, 2, 3, 4, 5);
    assertThat(store.list("dir/")).containsExactly("dir/x/f.ts");
  }

  @Test
  void writingTheSameChunksAgainGivesTheSameFile() throws Exception {
    ObjectStore store = new LocalStore(root);
    for (int round = 0; round < 2; round++) {
      store.put("f.m3u8", ByteBuffer.wrap(new byte[] {9, 9, 9, 9}), 0, false);
      store.put("f.m3u8", ByteBuffer.wrap(new byte[] {7}), 4, true);
    }
    // A last chunk delivered again after its rename is already done.
    store.put("f.m3u8", ByteBuffer.wrap(new byte[] {7}), 4, true);
    assertThat(Files.readAllBytes(root.resolve("f.m3u8"))).containsExactly(9, 9, 9, 9, 7);
    store.put("f.m3u8", ByteBuffer.wrap(new byte[] {1}), 0, true);
    assertThat(Files.readAllBytes(root.resolve("f.m3u8"))).containsExactly(1);
  }

  @Test
  void aChunkWithoutItsPredecessorsIsRefused() {
    ObjectStore store = new LocalStore(root);
    assertThatThrownBy(() -> store.put("g.ts", ByteBuffer.wrap(new byte[] {1}), 10, true))
        .isInstanceOf(StoreException.class).matches(e -> ((StoreException) e).permanent());
  }

  @Test
  void keysStayInTheirBucket() {
    ObjectStore store = new LocalStore(root.resolve("b"));
    assertThatThrownBy(() -> store.put("../escape.ts", ByteBuffer.allocate(1), 0, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StoreFactory(root).open(storage(99, "..")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownVendorsAreRefused() throws Exception {
    assertThatThrownBy(() -> new StoreFactory(root).open(storage(9, "b")))
        .isInstanceOf(StoreException.class).hasMessageContaining("vendor 9 is not supported")
        .matches(e -> ((StoreException) e).permanent());
    assertThat(((LocalStore) new StoreFactory(root).open(null)).bucketDir()).isEqualTo(root.toAbsolutePath());
    assertThat(new LocalStore(root.resolve("none")).list("")).isEqualTo(List.of());
  }

  private static StorageConfig storage(int vendor, String bucket) {
    return StorageConfig.newBuilder().setVendor(vendor).setBucket(bucket).setAccessKey("AK").setSecretKey("SK").build();
  }
}
