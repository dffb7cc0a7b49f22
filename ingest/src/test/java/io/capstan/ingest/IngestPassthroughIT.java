package io.capstan.ingest;

import static io.capstan.ingest.TestSpecs.individual;
import static io.capstan.ingest.TestSpecs.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Packet;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.StreamStateKind;
import io.capstan.schemas.TrackConfig;
import io.capstan.schemas.VideoFrame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Individual jobs pass what HLS can carry through untouched to capstan.packets, and decode the rest
 * to capstan.frames; the job's control records stay on capstan.frames, EndOfJob after every packet.
 */
@ExtendWith(KafkaBroker.class)
class IngestPassthroughIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static IngestHarness ingest;

  @BeforeAll
  static void startIngest(@Bootstrap String bootstrap) {
    ingest = new IngestHarness(bootstrap);
  }

  @AfterAll
  static void stopIngest() {
    ingest.close();
  }

  @Test
  void h264AndAacPassThroughUntouched(@TempDir Path dir) throws Exception {
    Path file = TestMedia.make(dir.resolve("cam.mp4"), 3, TestMedia.H264_AAC);
    String jobId = "passthrough-" + UUID.randomUUID();
    ingest.start(individual(jobId, Pacing.FAST, source("cam", file.toString())).build());

    try (TopicReader<MediaRecord> frames = ingest.reader(Topics.FRAMES, jobId);
         TopicReader<EncodedPacket> packets = ingest.reader(Topics.PACKETS, jobId)) {
      List<MediaRecord> records = frames.until(r -> !r.isEmpty() && r.get(r.size() - 1).getBody() instanceof EndOfJob,
          TIMEOUT);
      // Every packet was acknowledged before EndOfJob was written: all of them are in the topic now.
      List<EncodedPacket> all = packets.drain(TIMEOUT);
      List<Packet> video = packetsOf(all, "cam", MediaKind.VIDEO);
      List<Packet> audio = packetsOf(all, "cam", MediaKind.AUDIO);

      assertThat(records).noneMatch(r -> r.getBody() instanceof VideoFrame || r.getBody() instanceof AudioFrame);
      assertThat(states(records, "cam")).startsWith(StreamStateKind.JOINED).contains(StreamStateKind.VIDEO_RECEIVING,
          StreamStateKind.AUDIO_RECEIVING).endsWith(StreamStateKind.LEFT);

      assertThat(video).hasSize(45);
      Packet first = video.get(0);
      assertThat(first.getKey()).isTrue();
      TrackConfig config = first.getConfig();
      assertThat(config.getCodec()).isEqualTo("h264");
      assertThat(config.getWidth()).isEqualTo(320);
      assertThat(config.getHeight()).isEqualTo(240);
      assertThat(startCode(config.getExtradata())).as("extradata SPS/PPS in Annex B").isTrue();
      assertThat(video).allMatch(p -> startCode(p.getData()), "Annex B data");
      assertThat(video).allMatch(p -> p.getKey() == (p.getConfig() != null), "config on every key packet only");
      assertThat(first.getDtsUs()).isBetween(-200_000L, 200_000L);
      checkTimes(video, 3_000_000L);

      assertThat(audio).hasSizeBetween(138, 145);
      assertThat(audio).allMatch(p -> p.getKey() && p.getConfig() != null);
      TrackConfig aac = audio.get(0).getConfig();
      assertThat(aac.getCodec()).isEqualTo("aac");
      assertThat(aac.getSampleRate()).isEqualTo(48_000);
      assertThat(aac.getChannels()).isEqualTo(1);
      assertThat(aac.getExtradata().remaining()).as("AudioSpecificConfig").isGreaterThanOrEqualTo(2);
      assertThat(audio).allMatch(p -> (p.getData().get(p.getData().position()) & 0xff) != 0xff, "raw AAC, no ADTS");
      assertThat(audio.get(0).getPtsUs()).isBetween(-200_000L, 200_000L);
      checkTimes(audio, 3_000_000L);
      long audioUs = audio.stream().mapToLong(Packet::getDurationUs).sum();
      assertThat(audioUs).isCloseTo(3_000_000L, within(60_000L));

      // What a player sees: the whole stream decodes, and so does its first keyframe on its own.
      assertThat(decode(dir.resolve("all.h264"), video)).isEqualTo(45);
      assertThat(decode(dir.resolve("key.h264"), List.of(first))).isEqualTo(1);

      MediaRecord end = records.get(records.size() - 1);
      assertThat(end.getUid()).isEmpty();
      long lastPts = all.stream().filter(p -> p.getBody() instanceof Packet).mapToLong(p -> ((Packet) p.getBody())
          .getPtsUs()).max().orElseThrow();
      assertThat(end.getTimestampUs()).isGreaterThanOrEqualTo(lastPts);
    }
  }

  @Test
  void h264VideoPassesThroughAndOpusAudioIsDecoded(@TempDir Path dir) throws Exception {
    Path file = TestMedia.make(dir.resolve("webrtc.mkv"), 3, TestMedia.H264_OPUS);
    String jobId = "mixed-" + UUID.randomUUID();
    ingest.start(individual(jobId, Pacing.FAST, source("rtc", file.toString())).build());

    try (TopicReader<MediaRecord> frames = ingest.reader(Topics.FRAMES, jobId);
         TopicReader<EncodedPacket> packets = ingest.reader(Topics.PACKETS, jobId)) {
      List<MediaRecord> records = frames.until(r -> !r.isEmpty() && r.get(r.size() - 1).getBody() instanceof EndOfJob,
          TIMEOUT);
      List<EncodedPacket> all = packets.drain(TIMEOUT);

      List<Packet> video = packetsOf(all, "rtc", MediaKind.VIDEO);
      assertThat(video).hasSize(45);
      assertThat(video.get(0).getKey()).isTrue();
      assertThat(decode(dir.resolve("rtc.h264"), video)).isEqualTo(45);
      assertThat(packetsOf(all, "rtc", MediaKind.AUDIO)).isEmpty();

      assertThat(records).noneMatch(r -> r.getBody() instanceof VideoFrame);
      List<AudioFrame> pcm = records.stream().filter(r -> r.getUid().equals("rtc") && r.getBody() instanceof AudioFrame)
          .map(r -> (AudioFrame) r.getBody()).toList();
      assertThat(pcm).allMatch(a -> a.getSampleRate() == 48_000 && a.getChannels() == 1);
      long samples = pcm.stream().mapToLong(a -> a.getSamples().remaining() / 2).sum();
      assertThat(samples).isCloseTo(3 * 48_000L, within(4_800L));
      assertThat(crossingsPerSecond(pcm, samples)).isCloseTo(880.0, within(40.0));
      assertThat(states(records, "rtc")).contains(StreamStateKind.VIDEO_RECEIVING, StreamStateKind.AUDIO_RECEIVING);
    }
  }

  static List<Packet> packetsOf(List<EncodedPacket> all, String uid, MediaKind kind) {
    return all.stream().filter(p -> p.getUid().equals(uid) && p.getBody() instanceof Packet packet
        && packet.getKind() == kind).map(p -> (Packet) p.getBody()).toList();
  }

  private static List<StreamStateKind> states(List<MediaRecord> records, String uid) {
    return records.stream().filter(r -> r.getUid().equals(uid) && r.getBody() instanceof StreamState)
        .map(r -> ((StreamState) r.getBody()).getState()).toList();
  }

  /** dts strictly increasing, pts never before dts, the last one near the end of the media. */
  private static void checkTimes(List<Packet> packets, long durationUs) {
    for (int i = 1; i < packets.size(); i++) {
      assertThat(packets.get(i).getDtsUs()).isGreaterThan(packets.get(i - 1).getDtsUs());
    }
    assertThat(packets).allMatch(p -> p.getPtsUs() >= p.getDtsUs());
    long lastPts = packets.stream().mapToLong(Packet::getPtsUs).max().orElseThrow();
    assertThat(lastPts).isBetween(durationUs - 250_000L, durationUs + 200_000L);
  }

  private static boolean startCode(ByteBuffer data) {
    ByteBuffer b = data.duplicate();
    return b.remaining() > 4 && b.get() == 0 && b.get() == 0
        && (b.get() == 1 || (b.get(b.position() - 1) == 0 && b.get() == 1));
  }

  /** Decodes Annex B packets written one after the other (a raw .h264 stream): @return the pictures. */
  static int decode(Path file, List<Packet> packets) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Packet p : packets) {
      ByteBuffer data = p.getData().duplicate();
      byte[] copy = new byte[data.remaining()];
      data.get(copy);
      bytes.write(copy);
    }
    Files.write(file, bytes.toByteArray());
    int pictures = 0;
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
      grabber.setFormat("h264");
      grabber.start();
      Frame frame;
      while ((frame = grabber.grabImage()) != null) {
        assertThat(frame.imageWidth).isEqualTo(320);
        assertThat(frame.imageHeight).isEqualTo(240);
        pictures++;
      }
    }
    return pictures;
  }

  private static double crossingsPerSecond(List<AudioFrame> pcm, long samples) {
    long crossings = 0;
    short previous = 0;
    for (AudioFrame a : pcm) {
      java.nio.ShortBuffer s = a.getSamples().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer();
      while (s.hasRemaining()) {
        short v = s.get();
        if ((v >= 0) != (previous >= 0)) {
          crossings++;
        }
        previous = v;
      }
    }
    return crossings / (samples / 48_000.0);
  }
}
