package io.capstan.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/**
 * Turns the in-order chunks of a file into what an object store takes: one whole PUT for a file
 * smaller than {@code multipartThreshold}, else a multipart upload of {@code partSize} parts (the
 * last part may be smaller). The chunks of an unfinished file wait in memory (at most threshold +
 * part size). A chunk tried again after a failure (same offset, same bytes) is not appended twice:
 * the pending parts are simply sent again. Files of different keys may be written from different
 * threads at once (one store may serve several jobs); the chunks of one key come from one thread.
 */
public abstract class ChunkedStore implements ObjectStore {

  /** One multipart upload in progress. */
  protected interface Multipart {
    void part(int number, byte[] data, int length) throws StoreException;

    void complete() throws StoreException;

    void abort();
  }

  private final long multipartThreshold;
  private final int partSize;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  protected ChunkedStore(long multipartThreshold, int partSize) {
    if (partSize <= 0 || multipartThreshold <= 0) {
      throw new IllegalArgumentException("part size and multipart threshold must be positive");
    }
    this.multipartThreshold = multipartThreshold;
    this.partSize = partSize;
  }

  /** Stores a whole small file. */
  protected abstract void putWhole(String key, byte[] data, int length) throws StoreException;

  /** Starts a multipart upload of {@code key}. */
  protected abstract Multipart begin(String key) throws StoreException;

  @Override
  public final void put(String key, ByteBuffer data, long offset, boolean last) throws StoreException {
    Pending file = pending.get(key);
    ByteBuffer bytes = data.duplicate();
    long crc = crc(bytes);
    boolean retry = file != null && file.lastOffset == offset && file.lastCrc == crc
        && file.received == offset + bytes.remaining();
    if (!retry) {
      if (offset == 0) {
        if (file != null) {
          file.abort();
        }
        file = new Pending();
        pending.put(key, file);
      } else if (file == null || file.received != offset) {
        throw new StoreException("a chunk at byte " + offset + " of " + key + " arrived but "
            + (file == null ? "none" : file.received + " bytes") + " came before it", true);
      }
      file.append(bytes, offset, crc);
    }
    try {
      file.flush(key, last);
    } catch (StoreException | RuntimeException e) {
      if (e instanceof StoreException se && se.permanent()) {
        pending.remove(key).abort();
      }
      throw e;
    }
    if (last) {
      pending.remove(key);
    }
  }

  @Override
  public void abort(String key) {
    Pending file = pending.remove(key);
    if (file != null) {
      file.abort();
    }
  }

  @Override
  public void close() {
    pending.values().forEach(Pending::abort);
    pending.clear();
  }

  private static long crc(ByteBuffer bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes.duplicate());
    return crc.getValue();
  }

  private final class Pending {
    private byte[] buffer = new byte[0];
    private int buffered;
    private long received;
    private long lastOffset = -1;
    private long lastCrc;
    private Multipart multipart;
    private int parts;

    void append(ByteBuffer bytes, long offset, long crc) {
      int n = bytes.remaining();
      if (buffered + n > buffer.length) {
        byte[] grown = new byte[Math.max(buffered + n, (int) Math.min(Integer.MAX_VALUE - 8, buffer.length * 2L))];
        System.arraycopy(buffer, 0, grown, 0, buffered);
        buffer = grown;
      }
      bytes.get(buffer, buffered, n);
      buffered += n;
      received = offset + n;
      lastOffset = offset;
      lastCrc = crc;
    }

    void flush(String key, boolean last) throws StoreException {
      if (multipart == null && received >= multipartThreshold) {
        multipart = begin(key);
      }
      if (multipart != null) {
        while (buffered >= partSize) {
          sendPart(partSize);
        }
      }
      if (!last) {
        return;
      }
      if (multipart == null) {
        putWhole(key, buffer, buffered);
      } else {
        if (buffered > 0 || parts == 0) {
          sendPart(buffered);
        }
        multipart.complete();
      }
      buffer = new byte[0];
      buffered = 0;
    }

    private void sendPart(int length) throws StoreException {
      byte[] part = length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
      multipart.part(parts + 1, part, length);
      parts++;
      System.arraycopy(buffer, length, buffer, 0, buffered - length);
      buffered -= length;
    }

    void abort() {
      if (multipart != null) {
        multipart.abort();
        multipart = null;
      }
    }
  }
}
