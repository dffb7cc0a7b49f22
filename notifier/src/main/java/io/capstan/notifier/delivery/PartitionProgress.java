package io.capstan.notifier.delivery;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The notices of one capstan.notices partition that are not yet finished by every subscriber,
 * in offset order. The consumer commits {@link #committable()}: everything below it is finished
 * (delivered or dead-lettered) for every subscriber, so a restart redelivers only what some
 * subscriber may not have had — with the same noticeId.
 */
final class PartitionProgress {

  private final ArrayDeque<Pending> unfinished = new ArrayDeque<>();
  private long next = -1;
  private volatile boolean revoked;

  /** A notice at {@code offset} that {@code deliveries} subscribers must finish. */
  synchronized Pending add(long offset, int deliveries) {
    Pending pending = new Pending(this, offset, deliveries);
    if (!pending.finished()) {
      unfinished.add(pending);
    }
    next = offset + 1;
    return pending;
  }

  /** The first offset some subscriber has not finished, or one past the last notice seen; -1 before any. */
  synchronized long committable() {
    while (!unfinished.isEmpty() && unfinished.peek().finished()) {
      unfinished.poll();
    }
    return unfinished.isEmpty() ? next : unfinished.peek().offset;
  }

  /** The partition went to another instance: its queued deliveries are dropped, not sent. */
  void revoke() {
    revoked = true;
  }

  boolean revoked() {
    return revoked;
  }

  /** One notice's outstanding deliveries. */
  static final class Pending {
    private final PartitionProgress partition;
    private final long offset;
    private final AtomicInteger remaining;

    private Pending(PartitionProgress partition, long offset, int deliveries) {
      this.partition = partition;
      this.offset = offset;
      this.remaining = new AtomicInteger(deliveries);
    }

    void finishOne() {
      remaining.decrementAndGet();
    }

    boolean finished() {
      return remaining.get() <= 0;
    }

    boolean abandoned() {
      return partition.revoked();
    }
  }
}
