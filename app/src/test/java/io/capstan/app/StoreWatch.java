package io.capstan.app;

import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lists a bucket every 200 ms and remembers when each object was first seen: when a recording's
 * slices reach storage, as a viewer of the live playlist would notice them. While the store is
 * down the listing fails and nothing is recorded.
 */
final class StoreWatch implements AutoCloseable {

  private final ObjectStore store;
  private final String prefix;
  private final Map<String, Long> firstSeenMs = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  StoreWatch(ObjectStore store, String prefix) {
    this.store = store;
    this.prefix = prefix;
    thread = new Thread(this::run, "store-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      try {
        long now = System.currentTimeMillis();
        for (String key : store.list(prefix)) {
          firstSeenMs.putIfAbsent(key, now);
        }
      } catch (StoreException | RuntimeException e) {
        // The store is down (on purpose, or not yet up): nothing is seen meanwhile.
      }
      try {
        Thread.sleep(200); // the listing's period
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Keys seen so far that contain {@code part} and end with {@code suffix}. */
  List<String> keys(String part, String suffix) {
    return firstSeenMs.keySet().stream().filter(k -> k.contains(part) && k.endsWith(suffix)).sorted().toList();
  }

  /** When {@code key} was first listed (epoch ms), or -1. */
  long firstSeen(String key) {
    return firstSeenMs.getOrDefault(key, -1L);
  }

  /** The first slice ({@code .ts}) containing {@code part} seen after {@code afterMs}, as [key, seenMs]. */
  java.util.Optional<Map.Entry<String, Long>> firstSliceAfter(String part, long afterMs) {
    return firstSeenMs.entrySet().stream()
        .filter(e -> e.getKey().contains(part) && e.getKey().endsWith(".ts") && e.getValue() > afterMs)
        .min(Map.Entry.comparingByValue());
  }

  /**
   * The first slice containing {@code part} seen after {@code afterMs} whose media reaches past
   * {@code afterMs}: its name's UTC start plus {@code sliceMs} is later (live output again, not a
   * slice that was on its way before), as [key, seenMs].
   */
  java.util.Optional<Map.Entry<String, Long>> firstLiveSliceAfter(String part, long afterMs, long sliceMs) {
    return firstSeenMs.entrySet().stream()
        .filter(e -> e.getKey().contains(part) && e.getKey().endsWith(".ts") && e.getValue() > afterMs
            && sliceUtcMs(e.getKey()) + sliceMs > afterMs)
        .min(Map.Entry.comparingByValue());
  }

  /** A slice name's UTC start ({@code ..._yyyyMMddHHmmssSSS.ts}) in epoch ms. */
  static long sliceUtcMs(String key) {
    String stamp = key.substring(key.lastIndexOf('_') + 1, key.lastIndexOf('.'));
    return java.time.LocalDateTime.parse(stamp, java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS"))
        .toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
  }
}
