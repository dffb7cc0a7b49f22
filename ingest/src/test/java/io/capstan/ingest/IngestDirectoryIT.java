package io.capstan.ingest;

import static io.capstan.ingest.TestSpecs.composite;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecorderLeave;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.StreamAnnouncement;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.StreamStateKind;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.VideoFrame;
import io.capstan.schemas.VideoStreamStateChanged;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A job without sources follows who is in its channel, honours deny lists, and ends after maxIdleTime. */
@ExtendWith(KafkaBroker.class)
class IngestDirectoryIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void followsJoinsAndLeavesThenEndsWhenIdle(@Bootstrap String bootstrap) throws Exception {
    String jobId = "directory-" + UUID.randomUUID();
    String channel = "room-" + jobId;
    try (IngestHarness ingest = new IngestHarness(bootstrap);
         KafkaProducer<String, SpecificRecord> host = ingest.context().kafka().producer("test-media-server");
         TopicReader<MediaRecord> frames = ingest.reader(Topics.FRAMES, jobId);
         TopicReader<RecordingEvent> events = ingest.reader(Topics.EVENTS, jobId)) {
      announce(host, channel, "alice", "red");
      announce(host, channel, "bob", "blue");
      ingest.start(composite(jobId, Pacing.REALTIME).setChannel(channel).setMaxIdleTimeSeconds(5)
          .setSubscriptions(Subscriptions.newBuilder().setUnsubscribeAudioUids(List.of("bob")).build()).build());

      frames.until(r -> video(r, "alice") >= 5 && video(r, "bob") >= 5, TIMEOUT);
      // A late joiner is followed from when it appears in the channel.
      announce(host, channel, "carol", "green");
      frames.until(r -> video(r, "carol") >= 5, TIMEOUT);
      leave(host, channel, "alice");
      frames.until(r -> r.stream().anyMatch(x -> isState(x, "alice", StreamStateKind.LEFT)), TIMEOUT);
      leave(host, channel, "bob");
      leave(host, channel, "carol");
      long leftAt = System.nanoTime();
      List<MediaRecord> records = frames.until(r -> r.get(r.size() - 1).getBody() instanceof EndOfJob, TIMEOUT);
      long idleSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - leftAt);

      assertThat(records).anyMatch(r -> r.getUid().equals("alice") && r.getBody() instanceof AudioFrame);
      assertThat(records).noneMatch(r -> r.getUid().equals("bob") && r.getBody() instanceof AudioFrame);
      assertThat(records).noneMatch(r -> isState(r, "bob", StreamStateKind.AUDIO_RECEIVING));
      assertThat(records).anyMatch(r -> isState(r, "bob", StreamStateKind.LEFT));
      assertThat(idleSeconds).isBetween(4L, 8L);
      List<MediaRecord> carol = records.stream().filter(r -> r.getUid().equals("carol")).toList();
      assertThat(carol.get(0).getBody()).isInstanceOfSatisfying(StreamState.class,
          s -> assertThat(s.getState()).isEqualTo(StreamStateKind.JOINED));
      long aliceJoined = records.stream().filter(r -> isState(r, "alice", StreamStateKind.JOINED)).findFirst()
          .orElseThrow().getTimestampUs();
      assertThat(carol.get(0).getTimestampUs()).as("carol joins later on the timeline").isGreaterThan(aliceJoined);
      assertThat(carol).anyMatch(r -> isState(r, "carol", StreamStateKind.LEFT));
      List<RecordingEvent> ev = events.until(e -> e.stream().anyMatch(x -> x.getDetails() instanceof RecorderLeave),
          TIMEOUT);
      assertThat(ev).anyMatch(e -> e.getDetails() instanceof RecorderLeave l && l.getLeaveCode() == 4);
      for (int state : new int[] {0, 1}) {
        assertThat(ev).anyMatch(e -> e.getDetails() instanceof VideoStreamStateChanged v
            && v.getStreamUid().equals("carol") && v.getState() == state);
      }
    }
  }

  private static long video(List<MediaRecord> records, String uid) {
    return records.stream().filter(r -> r.getUid().equals(uid) && r.getBody() instanceof VideoFrame).count();
  }

  private static boolean isState(MediaRecord record, String uid, StreamStateKind kind) {
    return record.getUid().equals(uid) && record.getBody() instanceof StreamState s && s.getState() == kind;
  }

  private static void announce(KafkaProducer<String, SpecificRecord> host, String channel, String uid, String colour)
      throws Exception {
    String url = "lavfi:color=c=" + colour + ":size=320x240:rate=15[out0];sine=frequency=300:sample_rate=48000[out1]";
    StreamAnnouncement announcement = StreamAnnouncement.newBuilder().setChannel(channel).setUid(uid).setUrl(url)
        .setUpdatedUtcMs(System.currentTimeMillis()).build();
    host.send(new ProducerRecord<>(Topics.CHANNELS.name(), channel + "/" + uid, announcement)).get(30, TimeUnit.SECONDS);
  }

  private static void leave(KafkaProducer<String, SpecificRecord> host, String channel, String uid) throws Exception {
    host.send(new ProducerRecord<>(Topics.CHANNELS.name(), channel + "/" + uid, null)).get(30, TimeUnit.SECONDS);
  }
}
