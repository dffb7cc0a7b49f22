package io.capstan.ingest.directory;

import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.StreamAnnouncement;
import java.util.HashMap;
import java.util.Map;

/**
 * Who is in which channel now: a view of capstan.channels (key "channel/uid", a tombstone when the
 * uid leaves), read by every ingest instance because any instance may own a job of any channel.
 */
public final class ChannelDirectory implements AutoCloseable {

  private final TopicView<StreamAnnouncement> view;

  public ChannelDirectory(KafkaClients kafka, String clientId) {
    this.view = new TopicView<>(kafka, Topics.CHANNELS, clientId);
  }

  public void start() {
    view.start();
  }

  /** The channel's current streams by uid. */
  public Map<String, StreamAnnouncement> members(String channel) {
    String prefix = channel + "/";
    Map<String, StreamAnnouncement> members = new HashMap<>();
    view.all().forEach((key, announcement) -> {
      if (key.startsWith(prefix) && channel.equals(announcement.getChannel())) {
        members.put(announcement.getUid(), announcement);
      }
    });
    return members;
  }

  @Override
  public void close() {
    view.close();
  }
}
