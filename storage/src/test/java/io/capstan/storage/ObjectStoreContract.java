package io.capstan.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectStore} must do, run against each backend: the local file system, S3 (and
 * each S3-compatible vendor code), Azure Blob and Google Cloud Storage. Subclasses give a store on
 * a fresh, empty bucket whose multipart threshold is {@link #TEST_THRESHOLD} and part size
 * {@link #TEST_PART}, so the large file here goes through real multipart uploads.
 */
public abstract class ObjectStoreContract {

  public static final long TEST_THRESHOLD = 6L << 20;
  public static final int TEST_PART = 5 << 20;
  /** The segmenter's chunk size. */
  static final int CHUNK = 4 << 20;

  protected ObjectStore store;

  /** A store on a new, empty bucket. */
  protected abstract ObjectStore newStore() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aSmallFileComesBackByteIdentical() throws Exception {
    byte[] data = random(1000, 1);
    store.put("dir/x/a_1.ts", ByteBuffer.wrap(data), 0, true);
    assertThat(store.get("dir/x/a_1.ts")).isEqualTo(data);
    assertThat(store.list("")).containsExactly("dir/x/a_1.ts");
  }

  @Test
  void anEmptyFileIsAFile() throws Exception {
    store.put("empty.m3u8", ByteBuffer.allocate(0), 0, true);
    assertThat(store.get("empty.m3u8")).isEmpty();
  }

  @Test
  void writingAgainOverwrites() throws Exception {
    store.put("p.m3u8", ByteBuffer.wrap(random(5000, 2)), 0, true);
    byte[] newer = random(3000, 3);
    store.put("p.m3u8", ByteBuffer.wrap(newer), 0, true);
    assertThat(store.get("p.m3u8")).isEqualTo(newer);
    assertThat(store.list("p")).containsExactly("p.m3u8");
  }

  @Test
  void aLargeFileInChunksAppearsWholeOnlyWithItsLastChunk() throws Exception {
    byte[] data = random(13 * 1024 * 1024 + 123, 4);
    for (int offset = 0; offset < data.length; offset += CHUNK) {
      int end = Math.min(data.length, offset + CHUNK);
      store.put("big/s_20261118014320000.ts", ByteBuffer.wrap(Arrays.copyOfRange(data, offset, end)), offset,
          end == data.length);
      if (end < data.length) {
        assertThat(store.list("big/")).isEmpty();
      }
    }
    assertThat(store.get("big/s_20261118014320000.ts")).isEqualTo(data);
    assertThat(store.list("big/")).containsExactly("big/s_20261118014320000.ts");
  }

  @Test
  void aChunkSentAgainAfterAFailureIsNotStoredTwice() throws Exception {
    byte[] data = random(9 * 1024 * 1024, 5);
    ByteBuffer first = ByteBuffer.wrap(Arrays.copyOfRange(data, 0, CHUNK));
    store.put("r.ts", first, 0, false);
    store.put("r.ts", first, 0, false); // the delivery's retry of the same record
    store.put("r.ts", ByteBuffer.wrap(Arrays.copyOfRange(data, CHUNK, data.length)), CHUNK, true);
    assertThat(store.get("r.ts")).isEqualTo(data);
  }

  @Test
  void aFileSentAgainFromItsStartReplacesTheUnfinishedOne() throws Exception {
    store.put("again.ts", ByteBuffer.wrap(random(CHUNK, 6)), 0, false);
    byte[] whole = random(2000, 7);
    store.put("again.ts", ByteBuffer.wrap(whole), 0, true);
    assertThat(store.get("again.ts")).isEqualTo(whole);
  }

  @Test
  void listsByPrefixInOrder() throws Exception {
    for (String key : new String[] {"a/x/2.ts", "a/x/1.ts", "a/y.m3u8", "b/z.ts"}) {
      store.put(key, ByteBuffer.wrap(key.getBytes()), 0, true);
    }
    assertThat(store.list("a/")).containsExactly("a/x/1.ts", "a/x/2.ts", "a/y.m3u8");
    assertThat(store.list("a/x/")).containsExactly("a/x/1.ts", "a/x/2.ts");
    assertThat(store.list("")).containsExactly("a/x/1.ts", "a/x/2.ts", "a/y.m3u8", "b/z.ts");
    assertThat(store.list("c/")).isEmpty();
  }

  @Test
  void aMissingFileIsNotFound() {
    assertThatThrownBy(() -> store.get("nothing/here.ts")).isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(((StoreException) e).category()).isEqualTo(StoreException.Category.NOT_FOUND));
  }

  @Test
  void deleteRemovesAndToleratesMissingFiles() throws Exception {
    store.put("d/1.ts", ByteBuffer.wrap(new byte[] {1}), 0, true);
    store.put("d/2.ts", ByteBuffer.wrap(new byte[] {2}), 0, true);
    store.delete("d/1.ts");
    store.delete("d/never.ts");
    assertThat(store.list("d/")).containsExactly("d/2.ts");
  }

  protected static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
