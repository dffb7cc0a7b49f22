package io.capstan.gateway.whip;

import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.StreamAnnouncement;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes WHIP publishers into the channel directory (capstan.channels) as a media server would. */
final class ChannelAnnouncer {

  private static final Logger log = LoggerFactory.getLogger(ChannelAnnouncer.class);

  private final Supplier<KafkaProducer<String, SpecificRecord>> producer;

  ChannelAnnouncer(Supplier<KafkaProducer<String, SpecificRecord>> producer) {
    this.producer = producer;
  }

  void join(String channel, String uid, String url, boolean audio, boolean video, long utcMs) {
    send(channel, uid, StreamAnnouncement.newBuilder().setChannel(channel).setUid(uid).setUrl(url).setAudio(audio)
        .setVideo(video).setUpdatedUtcMs(utcMs).build());
  }

  void leave(String channel, String uid) {
    send(channel, uid, null);
  }

  private void send(String channel, String uid, StreamAnnouncement value) {
    // The producer retries a broker that is away for its delivery timeout; past it the failure is logged,
    // and the silence watch or the next publish writes the directory again.
    producer.get().send(new ProducerRecord<>(Topics.CHANNELS.name(), channel + "/" + uid, value), (meta, e) -> {
      if (e != null) {
        log.warn("WHIP: the channel directory could not be written for uid '{}' of channel '{}': {}", uid, channel,
            e.getMessage());
      }
    });
  }
}
