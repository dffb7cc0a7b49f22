package io.capstan.notifier.status;

import io.capstan.runtime.kafka.GroupMembership;
import io.capstan.runtime.kafka.KafkaClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Kafka Streams application that numbers events into notices and keeps the status table. */
public final class StatusStreams implements AutoCloseable {

  public static final String APPLICATION_ID = "capstan-notifier";

  private static final Logger log = LoggerFactory.getLogger(StatusStreams.class);

  private final KafkaStreams streams;

  /**
   * @param kafka the operator's Kafka client settings (bootstrap, TLS, SASL), passed through
   * @param replicationFactor of the changelog and repartition topics Streams creates
   */
  public StatusStreams(Map<String, Object> kafka, Path stateDir, int replicationFactor, String clientId) {
    streams = new KafkaStreams(NotifierTopology.build(kafka), config(kafka, stateDir, replicationFactor, clientId));
    streams.setUncaughtExceptionHandler(e -> {
      log.error("status stream thread failed; replacing it", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
  }

  /** The application's Streams configuration over the operator's client settings. */
  public static Properties config(Map<String, Object> kafka, Path stateDir, int replicationFactor, String clientId) {
    Properties props = new Properties();
    // Records wake the stream thread at once; these only set how often an idle one looks again.
    props.put(StreamsConfig.POLL_MS_CONFIG, 2000);
    props.put(StreamsConfig.consumerPrefix("fetch.max.wait.ms"),
        KafkaClients.MEMBER_FETCH_WAIT_MS);
    props.put(StreamsConfig.consumerPrefix("retry.backoff.ms"), GroupMembership.retryBackoffMs());
    props.putAll(kafka);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
    props.put(StreamsConfig.CLIENT_ID_CONFIG, clientId);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // A record that is not Avro of the expected type is logged and skipped: bad input never stops the notifier.
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true); // Kafka 5 default, no warning
    return props;
  }

  public void start() {
    streams.start();
  }

  public boolean healthy() {
    KafkaStreams.State state = streams.state();
    return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING
        && state != KafkaStreams.State.PENDING_ERROR;
  }

  public boolean running() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  @Override
  public void close() {
    // Leave the group on a clean stop: otherwise the replacement instance waits out this one's
    // session timeout (45 s) before it gets the partitions, and status lags that long.
    streams.close(org.apache.kafka.streams.CloseOptions.timeout(Duration.ofSeconds(30))
        .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
  }
}
