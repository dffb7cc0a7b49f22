package io.capstan.notifier.delivery;

import io.capstan.schemas.Notice;

/** One notice on its way to one subscriber; attempts and timing are touched only by its lane. */
final class Delivery {

  final Notice notice;
  private final PartitionProgress.Pending pending;
  private final Runnable onFinished;
  int attempts;
  long firstAttemptNanos;
  /** When the dispatcher handed it over: how long its receiver has kept it waiting. */
  final long queuedNanos = System.nanoTime();

  Delivery(Notice notice, PartitionProgress.Pending pending, Runnable onFinished) {
    this.notice = notice;
    this.pending = pending;
    this.onFinished = onFinished;
  }

  String jobId() {
    return notice.getEvent().getJobId();
  }

  boolean abandoned() {
    return pending.abandoned();
  }

  /** Delivered, dead-lettered or abandoned: in every case this subscriber is done with it. */
  void finish() {
    pending.finishOne();
    onFinished.run();
  }
}
