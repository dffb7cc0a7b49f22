package io.capstan.gateway.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests per second per app, as a token bucket: a burst of up to one second's worth, refilled
 * continuously. Over the limit the hosted product answers 429, and so do we, rather than let one
 * runaway client queue thousands of commands.
 */
final class RateLimiter {

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

  boolean allow(String appId) {
    if (perSecond <= 0) {
      return true;
    }
    Bucket bucket = buckets.computeIfAbsent(appId, k -> {
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
