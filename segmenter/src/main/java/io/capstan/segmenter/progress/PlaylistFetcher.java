package io.capstan.segmenter.progress;

import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.FileChunk;
import io.capstan.schemas.FileKind;
import io.capstan.segmenter.playlist.MediaPlaylist;
import io.capstan.segmenter.playlist.PlaylistParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads back a playlist this service wrote to capstan.files, to continue it after a takeover. */
public final class PlaylistFetcher implements AutoCloseable {

  private static final int FETCH_WAIT_MS = 100;

  private final KafkaConsumer<String, FileChunk> consumer;

  public PlaylistFetcher(KafkaClients kafka, String clientId) {
    // Moved from partition to partition: its next fetch waits for the one in flight, so keep that short.
    this.consumer = kafka.consumer(Topics.FILES, null, clientId,
        Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_WAIT_MS));
  }

  public Optional<MediaPlaylist> fetch(FileRef ref, Duration timeout) {
    TopicPartition tp = new TopicPartition(Topics.FILES.name(), ref.partition());
    consumer.assign(List.of(tp));
    consumer.seek(tp, ref.offset());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, FileChunk> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.offset() == ref.offset()) {
          FileChunk chunk = record.value();
          if (chunk == null || chunk.getKind() != FileKind.PLAYLIST) {
            return Optional.empty();
          }
          ByteBuffer data = chunk.getData().duplicate();
          byte[] bytes = new byte[data.remaining()];
          data.get(bytes);
          return Optional.of(PlaylistParser.parse(new String(bytes, StandardCharsets.UTF_8)));
        }
        if (record.offset() > ref.offset()) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
