package io.capstan.ingest;

import static io.capstan.ingest.TestSpecs.composite;
import static io.capstan.ingest.TestSpecs.individual;
import static io.capstan.ingest.TestSpecs.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Packet;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecorderLeave;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingWarning;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.StreamStateKind;
import io.capstan.schemas.VideoFrame;
import io.capstan.schemas.VideoStreamStateChanged;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live streams served on loopback by the bundled ffmpeg, recorded in real time with ingest as the
 * caller: encrypted SRT (right and wrong passphrase, the server killed and restarted) and RTMP.
 */
@ExtendWith(KafkaBroker.class)
class IngestLiveIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String PASSPHRASE = "capstan-live-secret";
  private static IngestHarness ingest;

  @BeforeAll
  static void startIngest(@Bootstrap String bootstrap) {
    // A lost stream is noticed within 3 s and retried at least every second: the test need not wait long.
    ingest = new IngestHarness(bootstrap, Map.of("ingest.source.io.timeout", "3s",
        "ingest.reconnect.max.backoff", "1s"));
  }

  @AfterAll
  static void stopIngest() {
    ingest.close();
  }

  @Test
  void encryptedSrtIsRecordedAndReconnectedWhenTheServerComesBack(@TempDir Path dir) throws Exception {
    int port = LiveServer.freeUdpPort();
    String jobId = "srt-" + UUID.randomUUID();
    try (LiveServer server = LiveServer.srt(port, PASSPHRASE, dir.resolve("srt.log"));
         TopicReader<MediaRecord> frames = ingest.reader(Topics.FRAMES, jobId);
         TopicReader<RecordingEvent> events = ingest.reader(Topics.EVENTS, jobId)) {
      ingest.start(composite(jobId, Pacing.REALTIME, source("cam", "srt://127.0.0.1:" + port))
          .setDecryption(Decryption.newBuilder().setMode(1).setSecret(PASSPHRASE).build()).build());

      List<MediaRecord> before = frames.until(r -> count(r, VideoFrame.class) >= 15 && count(r, AudioFrame.class) >= 15,
          TIMEOUT);
      VideoFrame picture = (VideoFrame) before.stream().filter(r -> r.getBody() instanceof VideoFrame).findFirst()
          .orElseThrow().getBody();
      assertThat(picture.getWidth()).isEqualTo(320);
      assertThat(picture.getHeight()).isEqualTo(240);
      events.until(e -> videoStates(e).contains(0), TIMEOUT);

      server.close();
      events.until(e -> videoStates(e).equals(List.of(0, 1)), TIMEOUT);
      List<MediaRecord> lost = frames.until(r -> r.stream().anyMatch(x -> isState(x, StreamStateKind.VIDEO_STOPPED)),
          TIMEOUT);
      int videoBeforeRestart = count(lost, VideoFrame.class);

      server.restart();
      events.until(e -> videoStates(e).equals(List.of(0, 1, 0)), TIMEOUT);
      List<MediaRecord> after = frames.until(r -> count(r, VideoFrame.class) >= videoBeforeRestart + 15, TIMEOUT);
      long stoppedAt = after.stream().filter(x -> isState(x, StreamStateKind.VIDEO_STOPPED)).findFirst().orElseThrow()
          .getTimestampUs();
      long resumedAt = after.stream().filter(x -> isState(x, StreamStateKind.VIDEO_RECEIVING)).skip(1).findFirst()
          .orElseThrow().getTimestampUs();
      assertThat(resumedAt).isGreaterThan(stoppedAt);
      assertThat(after).noneMatch(x -> isState(x, StreamStateKind.LEFT));

      ingest.stop(jobId);
      frames.until(r -> r.get(r.size() - 1).getBody() instanceof EndOfJob, TIMEOUT);
      assertThat(events.until(e -> e.stream().anyMatch(x -> x.getDetails() instanceof RecorderLeave), TIMEOUT))
          .anyMatch(e -> e.getDetails() instanceof RecorderLeave l && l.getLeaveCode() == 16);
    }
  }

  @Test
  void aWrongPassphraseIsReportedAndRetriedUntilTheStreamMatches(@TempDir Path dir) throws Exception {
    int port = LiveServer.freeUdpPort();
    String jobId = "srt-wrong-" + UUID.randomUUID();
    try (TopicReader<MediaRecord> frames = ingest.reader(Topics.FRAMES, jobId);
         TopicReader<RecordingEvent> events = ingest.reader(Topics.EVENTS, jobId)) {
      try (LiveServer server = LiveServer.srt(port, "not-" + PASSPHRASE, dir.resolve("wrong.log"))) {
        ingest.start(composite(jobId, Pacing.REALTIME, source("cam", "srt://127.0.0.1:" + port))
            .setDecryption(Decryption.newBuilder().setMode(1).setSecret(PASSPHRASE).build()).build());
        RecordingWarning warning = (RecordingWarning) events.until(e -> e.stream()
            .anyMatch(x -> x.getDetails() instanceof RecordingWarning), TIMEOUT).stream()
            .map(RecordingEvent::getDetails).filter(RecordingWarning.class::isInstance).findFirst().orElseThrow();
        assertThat(warning.getModule()).isEqualTo("ingest");
        assertThat(warning.getMessage()).contains("uid cam", "srt://127.0.0.1:" + port, "passphrase", "AES-128")
            .doesNotContain(PASSPHRASE);
        assertThat(server.alive()).as("a refused caller does not stop the listener").isTrue();
      }
      // The stream comes back with the passphrase the job has: the job, still retrying, records it.
      try (LiveServer server = LiveServer.srt(port, PASSPHRASE, dir.resolve("right.log"))) {
        frames.until(r -> count(r, VideoFrame.class) >= 5, TIMEOUT);
        assertThat(events.values()).noneMatch(e -> e.getDetails() instanceof RecorderLeave);
        ingest.stop(jobId);
        frames.until(r -> r.get(r.size() - 1).getBody() instanceof EndOfJob, TIMEOUT);
      }
    }
  }

  @Test
  void rtmpIsRecordedAndItsH264PassesThroughAsAnnexB(@TempDir Path dir) throws Exception {
    int port = LiveServer.freeTcpPort();
    String jobId = "rtmp-" + UUID.randomUUID();
    try (LiveServer server = LiveServer.rtmp(port, dir.resolve("rtmp.log"));
         TopicReader<MediaRecord> frames = ingest.reader(Topics.FRAMES, jobId);
         TopicReader<EncodedPacket> packets = ingest.reader(Topics.PACKETS, jobId)) {
      ingest.start(individual(jobId, Pacing.REALTIME, source("cam", "rtmp://127.0.0.1:" + port + "/live/s")).build());
      List<EncodedPacket> all = packets.until(p -> IngestPassthroughIT.packetsOf(p, "cam", MediaKind.VIDEO).size() >= 30
          && !IngestPassthroughIT.packetsOf(p, "cam", MediaKind.AUDIO).isEmpty(), TIMEOUT);
      ingest.stop(jobId);
      frames.until(r -> !r.isEmpty() && r.get(r.size() - 1).getBody() instanceof EndOfJob, TIMEOUT);

      List<Packet> video = IngestPassthroughIT.packetsOf(all, "cam", MediaKind.VIDEO);
      assertThat(video.get(0).getKey()).isTrue();
      assertThat(video.get(0).getConfig().getCodec()).isEqualTo("h264");
      // FLV stores H.264 length-prefixed: what comes out must decode as a raw Annex B stream.
      assertThat(IngestPassthroughIT.decode(dir.resolve("rtmp.h264"), video)).isEqualTo(video.size());
      Packet aac = IngestPassthroughIT.packetsOf(all, "cam", MediaKind.AUDIO).get(0);
      assertThat(aac.getConfig().getCodec()).isEqualTo("aac");
      assertThat(aac.getConfig().getExtradata().remaining()).isGreaterThanOrEqualTo(2);
      assertThat(frames.values()).noneMatch(r -> r.getBody() instanceof VideoFrame || r.getBody() instanceof AudioFrame);
    }
  }

  private static int count(List<MediaRecord> records, Class<?> body) {
    return (int) records.stream().filter(r -> body.isInstance(r.getBody())).count();
  }

  private static boolean isState(MediaRecord record, StreamStateKind kind) {
    return record.getBody() instanceof StreamState s && s.getState() == kind;
  }

  /** The video stream states (0 receiving, 1 stopped) of the job's events, in order. */
  private static List<Integer> videoStates(List<RecordingEvent> events) {
    return events.stream().filter(e -> e.getDetails() instanceof VideoStreamStateChanged)
        .map(e -> ((VideoStreamStateChanged) e.getDetails()).getState()).toList();
  }
}
