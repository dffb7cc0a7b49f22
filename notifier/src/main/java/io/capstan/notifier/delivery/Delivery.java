package io.capstan.notifier.delivery;

import io.capstan.schemas.Notice;

/** One notice on its way to one subscriber; attempts and timing are touched only by its lane. */
final class Delivery {

  final Notice notice;
  private final PartitionProgress.Pending pending;
  private final Runnable onFinished;
  int attempts;
  long firstAttemptNanos;
  /**
   * When it became the head of its lane (guarded by its queue): how long its receiver has kept it
   * waiting. Not when it was queued: a healthy receiver working through a long backlog is not stuck.
   */
  long headSinceNanos;

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
