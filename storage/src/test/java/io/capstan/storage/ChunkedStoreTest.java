package io.capstan.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How chunks become whole puts and multipart parts, and what a retried chunk does. */
class ChunkedStoreTest {

  private static final int MIB = 1 << 20;

  /** Records calls; fails the next n part uploads on request. */
  static final class Recording extends ChunkedStore {
    final List<String> calls = new ArrayList<>();
    final ByteArrayOutputStream stored = new ByteArrayOutputStream();
    int failParts;

    Recording() {
      super(6L * MIB, 5 * MIB);
    }

    @Override
    protected void putWhole(String key, byte[] data, int length) {
      calls.add("whole " + length);
      stored.reset();
      stored.write(data, 0, length);
    }

    @Override
    protected Multipart begin(String key) {
      calls.add("begin");
      stored.reset();
      return new Multipart() {
        @Override
        public void part(int number, byte[] data, int length) throws StoreException {
          if (failParts > 0) {
            failParts--;
            throw new StoreException(StoreException.Category.UNAVAILABLE, "down");
          }
          calls.add("part " + number + " " + length);
          stored.write(data, 0, length);
        }

        @Override
        public void complete() {
          calls.add("complete");
        }

        @Override
        public void abort() {
          calls.add("abort");
        }
      };
    }

    @Override
    public List<String> list(String prefix) {
      return List.of();
    }

    @Override
    public byte[] get(String key) {
      return stored.toByteArray();
    }

    @Override
    public void delete(String key) {
    }
  }

  @Test
  void smallFilesAreOnePutAndLargeOnesMultipart() throws Exception {
    Recording store = new Recording();
    store.put("a", ByteBuffer.wrap(new byte[3 * MIB]), 0, false);
    store.put("a", ByteBuffer.wrap(new byte[2 * MIB]), 3 * MIB, true);
    assertThat(store.calls).containsExactly("whole " + 5 * MIB);

    store.calls.clear();
    byte[] data = random(13 * MIB + 5);
    putInChunks(store, "b", data, 4 * MIB);
    assertThat(store.calls).containsExactly("begin", "part 1 " + 5 * MIB, "part 2 " + 5 * MIB,
        "part 3 " + (3 * MIB + 5), "complete");
    assertThat(store.get("b")).isEqualTo(data);
  }

  @Test
  void aChunkTriedAgainAfterAFailedPartIsNotAppendedTwice() throws Exception {
    Recording store = new Recording();
    byte[] data = random(12 * MIB);
    store.put("c", ByteBuffer.wrap(Arrays.copyOfRange(data, 0, 4 * MIB)), 0, false);
    store.failParts = 1;
    ByteBuffer second = ByteBuffer.wrap(Arrays.copyOfRange(data, 4 * MIB, 8 * MIB));
    assertThatThrownBy(() -> store.put("c", second, 4 * MIB, false)).isInstanceOf(StoreException.class);
    store.put("c", second, 4 * MIB, false);
    store.put("c", ByteBuffer.wrap(Arrays.copyOfRange(data, 8 * MIB, 12 * MIB)), 8 * MIB, true);
    assertThat(store.get("c")).isEqualTo(data);
  }

  @Test
  void aChunkWithAGapIsRefusedAndAFreshStartAbortsTheOldUpload() throws Exception {
    Recording store = new Recording();
    assertThatThrownBy(() -> store.put("d", ByteBuffer.wrap(new byte[1]), 10, true))
        .isInstanceOf(StoreException.class).hasMessageContaining("arrived but none");
    store.put("e", ByteBuffer.wrap(new byte[7 * MIB]), 0, false);
    store.put("e", ByteBuffer.wrap(new byte[] {1, 2}), 0, true);
    assertThat(store.calls).containsExactly("begin", "part 1 " + 5 * MIB, "abort", "whole 2");
  }

  private static void putInChunks(ChunkedStore store, String key, byte[] data, int chunk) throws StoreException {
    for (int offset = 0; offset < data.length; offset += chunk) {
      int end = Math.min(data.length, offset + chunk);
      store.put(key, ByteBuffer.wrap(Arrays.copyOfRange(data, offset, end)), offset, end == data.length);
    }
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
