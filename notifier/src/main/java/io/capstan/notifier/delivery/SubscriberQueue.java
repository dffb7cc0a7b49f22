package io.capstan.notifier.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything waiting for one subscriber, as one lane per job: a lane sends its head notice and
 * only then the next, so each job's notices reach the subscriber in sequence order. Lanes share
 * the subscriber's own few threads, so a slow or dead subscriber holds up no other subscriber,
 * and a lane waiting for a retry holds no thread at all (the shared timer wakes it). When the
 * dispatcher runs short of room, a receiver that is stuck sheds what it holds beyond its share
 * ({@link #shed}), and goes on shedding what comes beyond it until it answers again.
 */
final class SubscriberQueue {

  private static final Logger log = LoggerFactory.getLogger(SubscriberQueue.class);

  private final Subscriber subscriber;
  private final WebhookClient client;
  private final DeadLetters deadLetters;
  private final RetryPolicy retry;
  private final DeliveryMetrics metrics;
  private final ScheduledExecutorService timer;
  private final ThreadPoolExecutor threads;
  /** jobId -> its notices not yet finished, head first; a lane exists while it has work. Guarded by this. */
  private final Map<String, ArrayDeque<Delivery>> lanes = new HashMap<>();
  /** Deliveries in the lanes. Guarded by this. */
  private int waiting;
  /**
   * Found stuck when room ran short, and no answer since: notices beyond its share are
   * dead-lettered as they come, so it does not fill the room again once the dispatcher resumes.
   * Guarded by this.
   */
  private boolean shedding;
  private final int share;

  SubscriberQueue(Subscriber subscriber, WebhookClient client, DeadLetters deadLetters, RetryPolicy retry,
                  DeliveryMetrics metrics, ScheduledExecutorService timer, int threads, int share) {
    this.subscriber = subscriber;
    this.share = share;
    this.client = client;
    this.deadLetters = deadLetters;
    this.retry = retry;
    this.metrics = metrics;
    this.timer = timer;
    AtomicInteger n = new AtomicInteger();
    this.threads = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "webhook-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.threads.allowCoreThreadTimeOut(true); // an idle subscriber costs no thread
  }

  void add(Delivery delivery) throws InterruptedException {
    synchronized (this) {
      if (!shedding || waiting < share) {
        waiting++;
        ArrayDeque<Delivery> lane = lanes.get(delivery.jobId());
        if (lane == null) {
          lane = new ArrayDeque<>();
          lanes.put(delivery.jobId(), lane);
          lane.add(delivery);
          delivery.headSinceNanos = System.nanoTime();
          schedule(delivery.jobId());
        } else {
          lane.add(delivery);
        }
        return;
      }
    }
    shedAll(List.of(delivery));
  }

  synchronized boolean idle() {
    return lanes.isEmpty();
  }

  /** Stops taking work; what is running or queued may still finish until {@link #awaitClosed}. */
  void shutdown() {
    threads.shutdown();
  }

  void awaitClosed(Duration grace) {
    try {
      if (!threads.awaitTermination(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS)) {
        threads.shutdownNow(); // interrupts the HTTP calls: those notices stay uncommitted
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void schedule(String jobId) {
    try {
      threads.execute(() -> work(jobId));
    } catch (RejectedExecutionException e) {
      // closing: what is left is redelivered by whoever consumes the partition next
    }
  }

  private synchronized Delivery head(String jobId) {
    return lanes.get(jobId).peek();
  }

  /** The head is finished: start on the next notice of the lane, or drop the empty lane. */
  private synchronized void advance(String jobId) {
    ArrayDeque<Delivery> lane = lanes.get(jobId);
    lane.poll().finish();
    waiting--;
    if (lane.isEmpty()) {
      lanes.remove(jobId);
    } else {
      lane.peek().headSinceNanos = System.nanoTime();
      schedule(jobId);
    }
  }

  private void work(String jobId) {
    Delivery delivery = head(jobId);
    try {
      if (delivery.abandoned()) {
        advance(jobId);
        return;
      }
      if (delivery.attempts == 0) {
        delivery.firstAttemptNanos = System.nanoTime();
      }
      Attempt attempt = client.send(subscriber, delivery.notice);
      delivery.attempts++;
      switch (attempt.outcome()) {
        case DELIVERED -> {
          metrics.delivered().increment();
          answered();
          advance(jobId);
        }
        case REJECTED -> {
          answered();
          deadLetter(jobId, delivery, attempt.reason());
        }
        case RETRY -> retryLater(jobId, delivery, attempt.reason());
        default -> throw new IllegalStateException("unknown outcome " + attempt.outcome());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing: the notice stays uncommitted and is redelivered
    } catch (RuntimeException e) {
      // Ours, not the subscriber's: keep the lane moving rather than blocking the job forever.
      log.error("delivery of notice {} to {} failed", delivery.notice.getNoticeId(), subscriber, e);
      try {
        deadLetter(jobId, delivery, "internal error: " + e.getClass().getSimpleName());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A receiver stuck (a notice at the head of a lane has waited {@code stuckAfter} there) with
   * more than its share of notices waiting dead-letters the newest of them, down to its share: it
   * frees the room other receivers need, and what it keeps still goes out in order. Until it
   * answers again, what comes for it beyond its share is dead-lettered as it comes ({@link #add}).
   *
   * @return how many were dead-lettered
   */
  int shed(Duration stuckAfter) throws InterruptedException {
    List<Delivery> shed = new ArrayList<>();
    synchronized (this) {
      if (waiting <= share || !stuck(stuckAfter)) {
        return 0;
      }
      shedding = true;
      // newest first, a few from each lane in turn; a lane's head (perhaps being sent) stays
      boolean took = true;
      while (waiting > share && took) {
        took = false;
        for (ArrayDeque<Delivery> lane : lanes.values()) {
          if (waiting > share && lane.size() > 1) {
            shed.add(lane.pollLast());
            waiting--;
            took = true;
          }
        }
      }
    }
    shedAll(shed);
    return shed.size();
  }

  private synchronized void answered() {
    shedding = false;
  }

  private void shedAll(List<Delivery> shed) throws InterruptedException {
    for (Delivery delivery : shed) {
      deadLetters.send(delivery.notice, subscriber, "receiver backlog: stuck with more than " + share
          + " notices waiting (notifier.webhook.max.pending.per.receiver)", delivery.attempts);
      metrics.deadLettered().increment();
      delivery.finish();
    }
  }

  private boolean stuck(Duration after) {
    long now = System.nanoTime();
    for (ArrayDeque<Delivery> lane : lanes.values()) {
      Delivery head = lane.peek();
      if (head != null && now - head.headSinceNanos > after.toNanos()) {
        return true;
      }
    }
    return false;
  }

  private void deadLetter(String jobId, Delivery delivery, String reason) throws InterruptedException {
    deadLetters.send(delivery.notice, subscriber, reason, delivery.attempts);
    metrics.deadLettered().increment();
    advance(jobId);
  }

  private void retryLater(String jobId, Delivery delivery, String reason) throws InterruptedException {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - delivery.firstAttemptNanos);
    Duration delay = retry.backoff().delay(delivery.attempts, ThreadLocalRandom.current().nextDouble());
    if (elapsed.plus(delay).compareTo(retry.giveUpAfter()) > 0) {
      deadLetter(jobId, delivery, "gave up retrying: " + reason);
      return;
    }
    metrics.retried().increment();
    if (Integer.bitCount(delivery.attempts) == 1) { // attempts 1, 2, 4, 8...: a day of retries logs ~12 lines
      log.info("notice {} (job {}, sequence {}) to {}: {}; attempt {} in {} ms", delivery.notice.getNoticeId(), jobId,
          delivery.notice.getSequence(), subscriber, reason, delivery.attempts + 1, delay.toMillis());
    }
    try {
      timer.schedule(() -> schedule(jobId), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** How long and how often to keep trying a subscriber that fails in a way it may recover from. */
  record RetryPolicy(Backoff backoff, Duration giveUpAfter) {
  }
}
