package io.capstan.gateway.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests per second per client address, as a token bucket: a burst of up to one second's worth,
 * refilled continuously. Counted before authentication and whatever appid the path names, so
 * guessing credentials or rotating appids does not dodge it. Over the limit the hosted product
 * answers 429, and so do we, rather than let one runaway client queue thousands of commands.
 */
final class RateLimiter {

  private static final int MAX_CLIENTS = 10_000;

  private final double perSecond;
  private final LongSupplier nanos;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long refilledNanos;
  }

  /** {@code perSecond} ≤ 0: no limit. */
  RateLimiter(double perSecond, LongSupplier nanos) {
    this.perSecond = perSecond;
    this.nanos = nanos;
  }

  boolean allow(String client) {
    if (perSecond <= 0) {
      return true;
    }
    if (buckets.size() > MAX_CLIENTS) {
      // Buckets untouched for a second are full again: forgetting them changes nothing.
      long idle = nanos.getAsLong() - 1_000_000_000L;
      buckets.values().removeIf(b -> b.refilledNanos < idle);
    }
    Bucket bucket = buckets.computeIfAbsent(client, k -> {
      Bucket b = new Bucket();
      b.tokens = perSecond;
      b.refilledNanos = nanos.getAsLong();
      return b;
    });
    synchronized (bucket) {
      long now = nanos.getAsLong();
      bucket.tokens = Math.min(perSecond, bucket.tokens + (now - bucket.refilledNanos) / 1e9 * perSecond);
      bucket.refilledNanos = now;
      if (bucket.tokens < 1) {
        return false;
      }
      bucket.tokens -= 1;
      return true;
    }
  }
}
