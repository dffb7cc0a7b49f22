package io.capstan.runtime.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;

/**
 * An in-memory view of a compacted topic ({@code capstan.jobs}, {@code capstan.status}): every
 * partition read from the beginning, kept current by a background thread, no consumer group.
 * Whoever meets a key it has not seen yet can wait for it with {@link #await}, or ask with
 * {@link #current} for what the topic holds now: written before the call, it is in the answer.
 * Views opened through {@link SharedViews} read through one reader; each is closed by its holder.
 */
public final class TopicView<V extends SpecificRecord> implements AutoCloseable {

  private final TopicReader<V> reader;
  private final AtomicBoolean closed = new AtomicBoolean();

  public TopicView(KafkaClients kafka, TopicSpec<V> topic, String clientId) {
    this(new TopicReader<>(kafka, topic, clientId));
  }

  private TopicView(TopicReader<V> reader) {
    this.reader = reader;
  }

  /** Another view through this one's reader, or empty once every view of it has been closed. */
  Optional<TopicView<V>> share() {
    return reader.share() ? Optional.of(new TopicView<>(reader)) : Optional.empty();
  }

  /** Starts reading; a shared reader's second start finds it reading already. */
  public void start() {
    reader.start();
  }

  public boolean caughtUp() {
    return reader.caughtUp();
  }

  /** Waits until every record that was on the topic when the view started has been read. */
  public boolean awaitCaughtUp(Duration timeout) {
    return reader.awaitCaughtUp(timeout);
  }

  public Optional<V> get(String key) {
    return reader.get(key);
  }

  /** A snapshot of every current value. */
  public Map<String, V> all() {
    return reader.all();
  }

  /** The value of {@code key}, waiting up to {@code timeout} for it to arrive. */
  public Optional<V> await(String key, Duration timeout) {
    return reader.await(key, timeout);
  }

  /**
   * The value of {@code key} as the topic holds it now. A key the view has not seen yet is waited
   * for until the view has read everything on the topic at the time of the call (the end offsets
   * asked after this call began), so a value written before the call is never missed because the
   * view lagged; {@code timeout} bounds the wait when the broker is slow or away.
   */
  public Optional<V> current(String key, Duration timeout) {
    return reader.current(key, timeout);
  }

  /** This holder is done with the view (a second close does nothing); the last one stops the reader. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      reader.release();
    }
  }

  /** Stops the reader, whoever still holds a view of it (the process is shutting down). */
  void stop() {
    reader.stop();
  }
}
