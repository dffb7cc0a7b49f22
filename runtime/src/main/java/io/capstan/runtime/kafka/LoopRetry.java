package io.capstan.runtime.kafka;

import java.time.Duration;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;

/**
 * How a plain consumer loop (ingest's commands, the webhook dispatcher) rides out Kafka being away
 * or a coordinator moving: a round that fails that way waits, with backoff, and the loop goes on.
 * A wake-up, missing rights or a fenced static member go on up.
 */
public final class LoopRetry {

  /** One round of a loop. */
  @FunctionalInterface
  public interface Round {
    void run() throws InterruptedException;
  }

  private final String loop;
  private final Logger log;
  private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

  public LoopRetry(String loop, Logger log) {
    this.loop = loop;
    this.log = log;
  }

  public void round(Round round) throws InterruptedException {
    try {
      round.run();
      backoff.reset();
    } catch (WakeupException | AuthorizationException | FencedInstanceIdException e) {
      throw e;
    } catch (KafkaException e) {
      long waitMs = backoff.nextMillis();
      log.warn("{}: {}; trying again in {} ms", loop, e.toString(), waitMs);
      Thread.sleep(waitMs);
    }
  }
}
