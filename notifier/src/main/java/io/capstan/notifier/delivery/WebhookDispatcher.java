package io.capstan.notifier.delivery;

import io.capstan.runtime.events.EventType;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.Notice;
import io.capstan.schemas.Webhook;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import io.capstan.runtime.kafka.LoopRetry;
import io.capstan.runtime.kafka.OffsetCommits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads capstan.notices and hands each notice to every subscriber that wants it: the global ones
 * and the job's own. Each subscriber has its own {@link SubscriberQueue}. An offset is committed
 * only once every notice below it is finished for every subscriber (delivered or dead-lettered),
 * so a crash or a rebalance loses nothing; it may redeliver, always with the same noticeId.
 *
 * <p>Memory is bounded: when {@code maxPending} deliveries are outstanding, receivers that are
 * stuck (a notice waiting longer than {@code stuckAfter}) give up what they hold beyond
 * {@code maxPendingPerReceiver} to the dead letters, and go on doing so with what comes for them
 * until they answer again, so one recording's dead or hanging receiver holds back the others for
 * {@code stuckAfter} at most. Only if that frees too little (many
 * receivers behind at once) does the consumer stay paused, until half are finished. A waiting
 * notice is dead-lettered after {@code notifier.retry.max} at the latest.
 */
public final class WebhookDispatcher implements AutoCloseable {

  public static final String GROUP = "capstan-notifier-webhooks";

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private final Consumer<String, Notice> consumer;
  private final List<Subscriber> global;
  private final JobWebhooks jobWebhooks;
  private final WebhookClient client;
  private final DeadLetters deadLetters;
  private final SubscriberQueue.RetryPolicy retry;
  private final DeliveryMetrics metrics;
  private final Limits limits;
  private final ScheduledExecutorService timer;
  private final Map<Subscriber.Key, SubscriberQueue> queues = new HashMap<>();
  private final Map<TopicPartition, PartitionProgress> partitions = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean assigned;
  private boolean paused;
  private long lastCommitNanos = System.nanoTime();

  public WebhookDispatcher(Consumer<String, Notice> consumer, List<Subscriber> global, JobWebhooks jobWebhooks,
                           WebhookClient client, DeadLetters deadLetters, Backoff backoff, Duration giveUpAfter,
                           Limits limits, DeliveryMetrics metrics) {
    this.consumer = consumer;
    this.global = List.copyOf(global);
    this.jobWebhooks = jobWebhooks;
    this.client = client;
    this.deadLetters = deadLetters;
    this.retry = new SubscriberQueue.RetryPolicy(backoff, giveUpAfter);
    this.metrics = metrics;
    this.limits = limits;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "webhook-retries");
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::run, "webhook-dispatcher");
  }

  public void start() {
    thread.start();
  }

  /** Deliveries handed to subscribers and not finished (delivered or dead-lettered) yet. */
  public int pending() {
    return pending.get();
  }

  public boolean healthy() {
    return thread.isAlive() && running;
  }

  public boolean ready() {
    return assigned;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(Topics.NOTICES.name()), new Rebalance());
      // The broker away, a coordinator moving: deliveries already queued go on, and so does the loop.
      LoopRetry retry = new LoopRetry("webhook dispatcher", log);
      while (running) {
        retry.round(() -> {
          poll();
          applyBackpressure();
          if (System.nanoTime() - lastCommitNanos > COMMIT_INTERVAL.toNanos()) {
            commit(partitions.keySet());
            dropIdleQueues();
          }
        });
      }
    } catch (WakeupException e) {
      if (running) {
        log.error("webhook dispatcher woken up unexpectedly", e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("webhook dispatcher stopped", e);
    } finally {
      running = false;
      shutDownQueues();
      try {
        commit(partitions.keySet());
      } catch (RuntimeException e) {
        log.warn("final commit of webhook progress failed; some notices will be delivered again", e);
      }
      consumer.close();
    }
  }

  private void poll() throws InterruptedException {
    try {
      // nothing outstanding: nothing to commit or to pace, so wait for notices longer (idle CPU)
      Duration wait = Duration.ofMillis(pending.get() == 0 ? 1000 : 200);
      for (ConsumerRecord<String, Notice> record : consumer.poll(wait)) {
        dispatch(record);
      }
    } catch (RecordDeserializationException e) {
      // Not a Notice: nothing could deliver it. Step over it rather than stop every job's webhooks.
      log.error("skipped an unreadable record at {} offset {}", e.topicPartition(), e.offset(), e);
      consumer.seek(e.topicPartition(), e.offset() + 1);
    }
  }

  private void dispatch(ConsumerRecord<String, Notice> record) throws InterruptedException {
    PartitionProgress progress = partitions.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
        tp -> new PartitionProgress());
    Notice notice = record.value();
    if (notice == null) {
      progress.add(record.offset(), 0);
      return;
    }
    Collection<Subscriber> subscribers = subscribersOf(notice);
    PartitionProgress.Pending done = progress.add(record.offset(), subscribers.size());
    for (Subscriber subscriber : subscribers) {
      pending.incrementAndGet();
      queues.computeIfAbsent(subscriber.key(), k -> new SubscriberQueue(subscriber, client, deadLetters, retry,
              metrics, timer, limits.threadsPerSubscriber(), limits.maxPendingPerReceiver()))
          .add(new Delivery(notice, done, pending::decrementAndGet));
    }
  }

  /** Global subscribers and the job's own that want this event type, each receiver once. */
  private Collection<Subscriber> subscribersOf(Notice notice) {
    int eventType = EventType.of(notice.getEvent().getDetails()).code();
    Map<Subscriber.Key, Subscriber> wanted = new LinkedHashMap<>();
    for (Subscriber s : global) {
      if (s.wants(eventType)) {
        wanted.putIfAbsent(s.key(), s);
      }
    }
    for (Webhook webhook : jobWebhooks.of(notice.getEvent().getJobId())) {
      Subscriber s = Subscriber.of(webhook);
      if (s.wants(eventType)) {
        wanted.putIfAbsent(s.key(), s);
      }
    }
    return wanted.values();
  }

  private void applyBackpressure() throws InterruptedException {
    int maxPending = limits.maxPending();
    if (pending.get() >= maxPending || paused) {
      for (SubscriberQueue queue : queues.values()) {
        queue.shed(limits.stuckAfter());
      }
    }
    if (!paused && pending.get() >= maxPending) {
      log.warn("{} webhook deliveries outstanding: pausing capstan.notices until half are done", pending.get());
      consumer.pause(consumer.assignment());
      paused = true;
    } else if (paused && pending.get() <= maxPending / 2) {
      consumer.resume(consumer.paused());
      paused = false;
    } else if (paused) {
      consumer.pause(consumer.assignment()); // partitions assigned meanwhile start paused too
    }
  }

  private void commit(Collection<TopicPartition> which) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : which) {
      PartitionProgress progress = partitions.get(tp);
      long offset = progress == null ? -1 : progress.committable();
      if (offset >= 0 && !Long.valueOf(offset).equals(committed.get(tp))) {
        offsets.put(tp, new OffsetAndMetadata(offset));
      }
    }
    if (!offsets.isEmpty() && OffsetCommits.commit(consumer, offsets, log)) {
      offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
    }
    lastCommitNanos = System.nanoTime();
  }

  /** Job subscribers come and go with their jobs; forget a receiver with nothing queued. */
  private void dropIdleQueues() {
    for (Iterator<SubscriberQueue> it = queues.values().iterator(); it.hasNext(); ) {
      SubscriberQueue queue = it.next();
      if (queue.idle()) {
        queue.shutdown();
        it.remove();
      }
    }
  }

  private void shutDownQueues() {
    timer.shutdownNow();
    queues.values().forEach(SubscriberQueue::shutdown);
    long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
    queues.values().forEach(q -> q.awaitClosed(Duration.ofNanos(deadline - System.nanoTime())));
    queues.clear();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(CLOSE_GRACE.plusSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * @param threadsPerSubscriber  concurrent requests per receiver
   * @param maxPending            outstanding deliveries in all before the consumer pauses
   * @param maxPendingPerReceiver notices a stuck receiver keeps when room runs short
   * @param stuckAfter            a receiver with a notice waiting this long is stuck
   */
  public record Limits(int threadsPerSubscriber, int maxPending, int maxPendingPerReceiver, Duration stuckAfter) {
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      try {
        commit(revoked);
      } catch (RuntimeException e) {
        log.warn("could not commit webhook progress of revoked partitions {}", revoked, e);
      }
      forget(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      forget(lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> added) {
      assigned = true;
    }

    private void forget(Collection<TopicPartition> gone) {
      for (TopicPartition tp : gone) {
        PartitionProgress progress = partitions.remove(tp);
        if (progress != null) {
          progress.revoke();
        }
        committed.remove(tp);
      }
    }
  }
}
