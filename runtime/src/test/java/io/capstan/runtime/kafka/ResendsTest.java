package io.capstan.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ResendsTest {

  @Test
  void aRecordTheBrokerDidNotTakeIsSentAgainUntilItIs() {
    MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(),
        new StringSerializer());
    Resends.send(producer, new ProducerRecord<>("capstan.events", "job-1", "session_exit"));
    producer.errorNext(new TimeoutException("expired after the delivery timeout: the broker was away"));
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 2);
    producer.errorNext(new TimeoutException("still away"));
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 3);
    assertThat(producer.completeNext()).isTrue();
    assertThat(producer.history()).extracting(ProducerRecord::value).containsOnly("session_exit");
  }

  @Test
  void aRecordNoBrokerCanTakeIsNotSentAgain() {
    MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(),
        new StringSerializer());
    Resends.send(producer, new ProducerRecord<>("capstan.events", "job-1", "huge"));
    producer.errorNext(new RecordTooLargeException("over max.request.size"));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> producer.history().size() == 1);
  }
}
