package io.capstan.mixer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.mixer.compositor.YuvColor;
import io.capstan.mixer.encoder.AnnexB;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.kafka.KafkaClients;
import io.capstan.runtime.kafka.TopicAdmin;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.media.Natives;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.StopCommand;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.Layout;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Packet;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.StreamStateKind;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.VideoFrame;
import io.capstan.schemas.Watermark;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBroker.class)
class MixerIT {

  static final YuvColor RED = YuvColor.ofRgb(255, 0, 0);
  static final YuvColor GREEN = YuvColor.ofRgb(0, 255, 0);
  static final long END_US = 4_100_000;

  @Test
  void mixesTwoUidsIntoH264AndAacWithKeyframesAtSliceBoundaries(@Bootstrap String bootstrap) {
    Natives.require();
    TopicAdmin.ensure(Map.of("bootstrap.servers", bootstrap), Topics.ALL, 3, (short) 1);
    String jobId = "mix-" + UUID.randomUUID();
    ServiceContext context = ServiceContext.of(Config.of(Map.of("kafka.bootstrap.servers", bootstrap)));
    List<Packet> video = new ArrayList<>();
    List<Packet> audio = new ArrayList<>();
    List<EncodedPacket> all = new ArrayList<>();
    try (MixerService mixer = new MixerService(context);
         KafkaProducer<String, SpecificRecord> producer = context.kafka().producer("mixer-it")) {
      mixer.start();
      producer.send(new ProducerRecord<>(Topics.JOBS.name(), jobId, spec(jobId)));
      for (MediaRecord r : frames(jobId)) {
        producer.send(new ProducerRecord<>(Topics.FRAMES.name(), jobId, r));
      }
      producer.flush();
      all.addAll(readPacketsUntilEnd(context.kafka(), jobId));
    }
    for (EncodedPacket p : all) {
      assertThat(p.getUid()).isEmpty();
      if (p.getBody() instanceof Packet packet) {
        (packet.getKind() == MediaKind.VIDEO ? video : audio).add(packet);
      }
    }
    assertThat(all.get(all.size() - 1).getBody()).isInstanceOf(EndOfJob.class);
    assertThat(all.get(all.size() - 1).getTimestampUs()).isEqualTo(END_US);

    // video: 15 fps from t = 0 to the end, IDR (with SPS/PPS in band) exactly at 0, 2 and 4 s
    assertThat(video).hasSize(62);
    for (int n = 0; n < video.size(); n++) {
      Packet p = video.get(n);
      assertThat(p.getPtsUs()).isEqualTo(n * 1_000_000L / 15);
      assertThat(p.getDtsUs()).isEqualTo(p.getPtsUs());
      boolean boundary = n % 30 == 0;
      assertThat(p.getKey()).as("frame %d key", n).isEqualTo(boundary);
      if (boundary) {
        assertThat(AnnexB.nalTypes(p.getData())).contains(7, 8, 5);
        assertThat(p.getConfig().getCodec()).isEqualTo("h264");
        assertThat(p.getConfig().getWidth()).isEqualTo(640);
        assertThat(p.getConfig().getHeight()).isEqualTo(360);
      } else {
        assertThat(AnnexB.nalTypes(p.getData())).doesNotContain(5);
      }
    }
    // audio: continuous AAC, every packet key with its AudioSpecificConfig
    assertThat(audio.size()).isGreaterThan(190);
    for (int i = 0; i < audio.size(); i++) {
      Packet p = audio.get(i);
      assertThat(p.getKey()).isTrue();
      assertThat(p.getConfig().getCodec()).isEqualTo("aac");
      assertThat(p.getConfig().getSampleRate()).isEqualTo(48_000);
      assertThat(p.getConfig().getChannels()).isEqualTo(1);
      assertThat(p.getConfig().getExtradata().remaining()).isGreaterThanOrEqualTo(2);
      if (i > 0) {
        Packet previous = audio.get(i - 1);
        assertThat(p.getPtsUs() - previous.getPtsUs()).isBetween(21_333L, 21_334L);
      }
    }
    assertThat(audio.get(audio.size() - 1).getPtsUs()).isGreaterThanOrEqualTo(END_US - 21_334 * 2);

    // decoded: uid a (red) on the left half, uid b (green) on the right, at t = 1 s
    AVFrame picture = null;
    try (H264Decoder decoder = new H264Decoder()) {
      for (Packet p : video) {
        decoder.decode(p, 15, (frame, pts) -> {
          int[] left = {sample(frame, 0, 160, 180), sample(frame, 1, 160, 180), sample(frame, 2, 160, 180)};
          int[] right = {sample(frame, 0, 480, 180), sample(frame, 1, 480, 180), sample(frame, 2, 480, 180)};
          assertClose(left, RED);
          assertClose(right, GREEN);
        });
      }
      assertThat(decoder.decoded).isGreaterThan(0);
    }
    // and the mix has both tones
    float[] pcm = decodeAac(audio);
    assertThat(pcm.length).isGreaterThan(48_000 * 3);
    float[] middle = java.util.Arrays.copyOfRange(pcm, 48_000, 48_000 * 3);
    double at440 = goertzel(middle, 440);
    double at660 = goertzel(middle, 660);
    double at550 = goertzel(middle, 550);
    assertThat(at440).isGreaterThan(100 * at550);
    assertThat(at660).isGreaterThan(100 * at550);
  }

  /**
   * The mixer mixing a job goes away halfway (with frames still in the encoder's lookahead) and
   * another takes the job over from what the first committed: the output has every frame and every
   * audio block exactly once, in order, across the handover.
   */
  @Test
  void aSecondMixerTakesAJobOverMidwayWithEveryFrameOnce(@Bootstrap String bootstrap) {
    Natives.require();
    TopicAdmin.ensure(Map.of("bootstrap.servers", bootstrap), Topics.ALL, 3, (short) 1);
    String jobId = "handover-" + UUID.randomUUID();
    ServiceContext context = ServiceContext.of(Config.of(Map.of("kafka.bootstrap.servers", bootstrap)));
    List<MediaRecord> records = frames(jobId);
    int half = 0;
    while (records.get(half).getTimestampUs() < 2_000_000) {
      half++;
    }
    try (KafkaProducer<String, SpecificRecord> producer = context.kafka().producer("mixer-it")) {
      try (MixerService first = new MixerService(context)) {
        first.start();
        producer.send(new ProducerRecord<>(Topics.JOBS.name(), jobId, spec(jobId)));
        for (MediaRecord r : records.subList(0, half)) {
          producer.send(new ProducerRecord<>(Topics.FRAMES.name(), jobId, r));
        }
        producer.flush();
        awaitVideoPackets(context.kafka(), jobId, 10);
      }
      try (MixerService next = new MixerService(context)) {
        next.start();
        for (MediaRecord r : records.subList(half, records.size())) {
          producer.send(new ProducerRecord<>(Topics.FRAMES.name(), jobId, r));
        }
        producer.flush();
        List<Packet> video = new ArrayList<>();
        List<Packet> audio = new ArrayList<>();
        for (EncodedPacket p : readPacketsUntilEnd(context.kafka(), jobId)) {
          if (p.getBody() instanceof Packet packet) {
            (packet.getKind() == MediaKind.VIDEO ? video : audio).add(packet);
          }
        }
        assertThat(video).extracting(Packet::getPtsUs).as("every frame once, in order")
            .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 62).map(n -> n * 1_000_000L / 15)
                .boxed().toList());
        for (int i = 1; i < audio.size(); i++) {
          assertThat(audio.get(i).getPtsUs() - audio.get(i - 1).getPtsUs()).as("audio packet %d follows", i)
              .isBetween(21_333L, 21_334L);
        }
        assertThat(audio.get(audio.size() - 1).getPtsUs()).isGreaterThanOrEqualTo(END_US - 21_334 * 2);
        List<io.capstan.mixer.testing.Decoded.Picture> pictures = io.capstan.mixer.testing.Decoded.video(video);
        assertThat(pictures).as("every frame decodes across the handover").hasSize(62);
        for (io.capstan.mixer.testing.Decoded.Picture picture : pictures.subList(0, 60)) { // both left at 4 s
          assertThat(picture.near(160, 180, RED, 10) && picture.near(480, 180, GREEN, 10))
              .as("a left, b right at %d us: %s %s", picture.ptsUs(), picture.colorAt(160, 180),
                  picture.colorAt(480, 180)).isTrue();
        }
      }
    }
  }

  /** Waits until the job's committed output on capstan.packets has {@code count} video packets. */
  private static void awaitVideoPackets(KafkaClients kafka, String jobId, int count) {
    try (KafkaConsumer<String, EncodedPacket> consumer = kafka.consumer(Topics.PACKETS, null, "mixer-it-watch")) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.PACKETS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      int[] seen = {0};
      await().atMost(Duration.ofMinutes(2)).pollDelay(Duration.ZERO).until(() -> {
        for (ConsumerRecord<String, EncodedPacket> r : consumer.poll(Duration.ofMillis(200))) {
          if (jobId.equals(r.key()) && r.value().getBody() instanceof Packet p && p.getKind() == MediaKind.VIDEO) {
            seen[0]++;
          }
        }
        return seen[0] >= count;
      });
    }
  }

  /**
   * An individual job whose two uids both needed transcoding (ingest sent their frames): each uid
   * gets its own H.264/AAC output, keyed by its uid, with IDRs at the slice boundaries, closed by
   * its own EndOfJob; no composite output appears.
   */
  @Test
  void transcodesEachUidOfAnIndividualJobOnItsOwnOutput(@Bootstrap String bootstrap) {
    Natives.require();
    TopicAdmin.ensure(Map.of("bootstrap.servers", bootstrap), Topics.ALL, 3, (short) 1);
    String jobId = "individual-" + UUID.randomUUID();
    ServiceContext context = ServiceContext.of(Config.of(Map.of("kafka.bootstrap.servers", bootstrap)));
    List<EncodedPacket> all = new ArrayList<>();
    try (MixerService mixer = new MixerService(context);
         KafkaProducer<String, SpecificRecord> producer = context.kafka().producer("mixer-it")) {
      mixer.start();
      JobSpec spec = spec(jobId);
      spec.setMode(RecordingMode.INDIVIDUAL);
      spec.setTranscoding(null);
      producer.send(new ProducerRecord<>(Topics.JOBS.name(), jobId, spec));
      for (MediaRecord r : frames(jobId)) {
        producer.send(new ProducerRecord<>(Topics.FRAMES.name(), jobId, r));
      }
      producer.flush();
      await().atMost(Duration.ofMinutes(3)).until(() -> {
        all.clear();
        all.addAll(readPackets(context.kafka(), jobId));
        return all.stream().anyMatch(p -> p.getBody() instanceof EndOfJob && p.getUid().isEmpty());
      });
    }
    assertThat(all.stream().filter(p -> p.getBody() instanceof EndOfJob && !p.getUid().isEmpty()).count())
        .as("each uid's output ends").isEqualTo(2);
    assertThat(all.get(all.size() - 1).getUid()).as("the job's own end comes last").isEmpty();
    all.remove(all.size() - 1);
    assertThat(all).extracting(EncodedPacket::getUid).containsOnly("a", "b");
    int[][] sizes = {{320, 180}, {640, 360}};
    YuvColor[] colours = {RED, GREEN};
    for (int u = 0; u < 2; u++) {
      String uid = u == 0 ? "a" : "b";
      List<EncodedPacket> own = all.stream().filter(p -> p.getUid().equals(uid)).toList();
      assertThat(own.get(own.size() - 1).getBody()).isInstanceOf(EndOfJob.class);
      List<Packet> video = own.stream().filter(p -> p.getBody() instanceof Packet pk && pk.getKind() == MediaKind.VIDEO)
          .map(p -> (Packet) p.getBody()).toList();
      // the uids left at 4 s: frames 0 .. 59 at 15 fps, IDR at 0 and 2 s (2 s slices)
      assertThat(video).hasSize(60);
      assertThat(video).filteredOn(Packet::getKey).extracting(Packet::getPtsUs).containsExactly(0L, 2_000_000L);
      assertThat(video.get(0).getConfig().getWidth()).isEqualTo(sizes[u][0]);
      assertThat(video.get(0).getConfig().getHeight()).isEqualTo(sizes[u][1]);
      YuvColor colour = colours[u];
      assertThat(io.capstan.mixer.testing.Decoded.video(video))
          .allMatch(p -> p.near(sizes[0][0] / 2, sizes[0][1] / 2, colour, 10));
      assertThat(own.stream().filter(p -> p.getBody() instanceof Packet pk && pk.getKind() == MediaKind.AUDIO).count())
          .isGreaterThan(180);
    }
  }

  /** Every packet of the job on capstan.packets so far (read_committed). */
  @Test
  void aMixerAtCapacityRefusesANewRecordingAndStopsIt(@Bootstrap String bootstrap) {
    Natives.require();
    TopicAdmin.ensure(Map.of("bootstrap.servers", bootstrap), Topics.ALL, 3, (short) 1);
    String running = "busy-" + UUID.randomUUID();
    String refused = "full-" + UUID.randomUUID();
    ServiceContext context = ServiceContext.of(Config.of(Map.of("kafka.bootstrap.servers", bootstrap,
        "mixer.max.jobs", "1")));
    try (MixerService mixer = new MixerService(context);
         KafkaProducer<String, SpecificRecord> producer = context.kafka().producer("mixer-it-capacity")) {
      mixer.start();
      List<MediaRecord> open = frames(running);
      producer.send(new ProducerRecord<>(Topics.JOBS.name(), running, spec(running)));
      for (MediaRecord r : open.subList(0, open.size() - 1)) { // no end: it keeps its place
        producer.send(new ProducerRecord<>(Topics.FRAMES.name(), running, r));
      }
      producer.flush();
      await().atMost(Duration.ofSeconds(60)).until(() -> !readPackets(context.kafka(), running).isEmpty());
      producer.send(new ProducerRecord<>(Topics.JOBS.name(), refused, spec(refused)));
      for (MediaRecord r : frames(refused)) {
        producer.send(new ProducerRecord<>(Topics.FRAMES.name(), refused, r));
      }
      producer.flush();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(read(context.kafka(), Topics.EVENTS, refused)).anySatisfy(e -> {
          RecordingError error = (RecordingError) e.getDetails();
          assertThat(error.getErrorCode()).isEqualTo(503);
          assertThat(error.getErrorMsg()).startsWith("no capacity: the mixer").contains("mixer.max.jobs");
        });
        assertThat(read(context.kafka(), Topics.COMMANDS, refused))
            .anySatisfy(c -> assertThat(c.getAction()).isInstanceOf(StopCommand.class));
      });
      assertThat(readPackets(context.kafka(), refused)).isEmpty();
    }
  }

  /** Every record of {@code jobId} on {@code topic} so far. */
  static <V extends SpecificRecord> List<V> read(KafkaClients kafka, io.capstan.runtime.kafka.TopicSpec<V> topic,
                                                 String jobId) {
    List<V> found = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = kafka.consumer(topic, null, "mixer-it-reader")) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
          if (jobId.equals(r.key()) && r.value() != null) {
            found.add(r.value());
          }
        }
      }
    }
    return found;
  }

  static List<EncodedPacket> readPackets(KafkaClients kafka, String jobId) {
    List<EncodedPacket> packets = new ArrayList<>();
    try (KafkaConsumer<String, EncodedPacket> consumer = kafka.consumer(Topics.PACKETS, null, "mixer-it-reader")) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.PACKETS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, EncodedPacket> r : consumer.poll(Duration.ofMillis(200))) {
          if (jobId.equals(r.key())) {
            packets.add(r.value());
          }
        }
      }
    }
    return packets;
  }

  static JobSpec spec(String jobId) {
    return JobSpec.newBuilder()
        .setJobId(jobId)
        .setChannel("it")
        .setMode(RecordingMode.COMPOSITE)
        .setPacing(Pacing.FAST)
        .setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().build())
        .setTranscoding(Transcoding.newBuilder().setWidth(640).setHeight(360).setFps(15).setBitrateKbps(800)
            .setLayout(Layout.newBuilder().setMixedVideoLayout(1).build()).build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(2).build())
        .setStartedUtcMs(System.currentTimeMillis())
        .build();
  }

  /** What ingest would publish for two uids over 4 s: joins, frames and tones in time order, watermarks, the end. */
  static List<MediaRecord> frames(String jobId) {
    List<MediaRecord> media = new ArrayList<>();
    String[] uids = {"a", "b"};
    YuvColor[] colours = {RED, GREEN};
    int[][] sizes = {{320, 180}, {640, 360}};
    double[] tones = {440, 660};
    for (int u = 0; u < 2; u++) {
      VideoFrame frame = solid(sizes[u][0], sizes[u][1], colours[u]);
      for (int n = 0; n < 60; n++) {
        media.add(record(jobId, uids[u], n * 1_000_000L / 15, frame));
      }
      for (long s = 0; s < 4 * 48_000; s += 1024) {
        media.add(record(jobId, uids[u], s * 1_000_000L / 48_000, tone(tones[u], s, 1024)));
      }
    }
    media.sort(Comparator.comparingLong(MediaRecord::getTimestampUs));
    List<MediaRecord> out = new ArrayList<>();
    for (String uid : uids) {
      out.add(record(jobId, uid, 0, state(StreamStateKind.JOINED)));
    }
    long nextWatermark = 200_000;
    for (MediaRecord r : media) {
      while (r.getTimestampUs() >= nextWatermark) {
        for (String uid : uids) {
          out.add(record(jobId, uid, nextWatermark, Watermark.newBuilder().build()));
        }
        nextWatermark += 200_000;
      }
      out.add(r);
    }
    for (String uid : uids) {
      out.add(record(jobId, uid, 4_000_000, Watermark.newBuilder().build()));
      out.add(record(jobId, uid, 4_000_000, state(StreamStateKind.LEFT)));
    }
    out.add(record(jobId, "", END_US, EndOfJob.newBuilder().setUtcMs(System.currentTimeMillis()).build()));
    return out;
  }

  /** A record as ingest writes it: a and b joined the channel in that order. */
  static MediaRecord record(String jobId, String uid, long ts, Object body) {
    return MediaRecord.newBuilder().setJobId(jobId).setUid(uid).setTimestampUs(ts).setBody(body)
        .setJoinOrder(switch (uid) {
          case "a" -> 1;
          case "b" -> 2;
          default -> 0;
        }).build();
  }

  static StreamState state(StreamStateKind kind) {
    return StreamState.newBuilder().setState(kind).setUtcMs(System.currentTimeMillis()).build();
  }

  static VideoFrame solid(int w, int h, YuvColor c) {
    ByteBuffer data = ByteBuffer.allocate(w * h * 3 / 2);
    for (int i = 0; i < w * h; i++) {
      data.put((byte) c.y());
    }
    for (int i = 0; i < w * h / 4; i++) {
      data.put((byte) c.u());
    }
    for (int i = 0; i < w * h / 4; i++) {
      data.put((byte) c.v());
    }
    return VideoFrame.newBuilder().setWidth(w).setHeight(h).setStrides(List.of(w, w / 2, w / 2))
        .setData(data.flip()).build();
  }

  static AudioFrame tone(double hz, long firstSample, int samples) {
    ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      pcm.putShort((short) Math.round(8000 * Math.sin(2 * Math.PI * hz * (firstSample + i) / 48_000.0)));
    }
    return AudioFrame.newBuilder().setSampleRate(48_000).setChannels(1).setSamples(pcm.flip()).build();
  }

  static List<EncodedPacket> readPacketsUntilEnd(KafkaClients kafka, String jobId) {
    List<EncodedPacket> packets = new ArrayList<>();
    try (KafkaConsumer<String, EncodedPacket> consumer = kafka.consumer(Topics.PACKETS, null, "mixer-it-reader")) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.PACKETS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await().atMost(Duration.ofMinutes(3)).pollDelay(Duration.ZERO).until(() -> {
        for (ConsumerRecord<String, EncodedPacket> r : consumer.poll(Duration.ofMillis(200))) {
          if (jobId.equals(r.key())) {
            packets.add(r.value());
          }
        }
        return !packets.isEmpty() && packets.get(packets.size() - 1).getBody() instanceof EndOfJob;
      });
    }
    return packets;
  }

  static int sample(AVFrame frame, int plane, int x, int y) {
    int row = plane == 0 ? y : y / 2;
    int column = plane == 0 ? x : x / 2;
    return frame.data(plane).get((long) row * frame.linesize(plane) + column) & 0xff;
  }

  static void assertClose(int[] yuv, YuvColor expected) {
    assertThat(yuv[0]).isBetween(expected.y() - 10, expected.y() + 10);
    assertThat(yuv[1]).isBetween(expected.u() - 10, expected.u() + 10);
    assertThat(yuv[2]).isBetween(expected.v() - 10, expected.v() + 10);
  }

  interface FrameCheck {
    void check(AVFrame frame, long pts);
  }

  /** avcodec's H.264 decoder over the Annex B packets; checks the frame of t = 1 s. */
  static final class H264Decoder implements AutoCloseable {
    final AVCodecContext context = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_H264));
    final AVPacket packet = av_packet_alloc();
    final AVFrame frame = av_frame_alloc();
    int decoded;

    H264Decoder() {
      assertThat(avcodec_open2(context, avcodec_find_decoder(AV_CODEC_ID_H264), (AVDictionary) null)).isZero();
    }

    void decode(Packet p, int fps, FrameCheck check) {
      byte[] bytes = new byte[p.getData().remaining()];
      p.getData().duplicate().get(bytes);
      av_new_packet(packet, bytes.length);
      packet.data().put(bytes);
      packet.pts(p.getPtsUs() * fps / 1_000_000L);
      assertThat(avcodec_send_packet(context, packet)).isZero();
      av_packet_unref(packet);
      while (avcodec_receive_frame(context, frame) == 0) {
        decoded++;
        if (frame.pts() == fps) {
          check.check(frame, frame.pts());
        }
      }
    }

    @Override
    public void close() {
      av_frame_free(frame);
      av_packet_free(packet);
      avcodec_free_context(context);
    }
  }

  static float[] decodeAac(List<Packet> packets) {
    AVCodecContext context = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_AAC));
    AVPacket packet = av_packet_alloc();
    AVFrame frame = av_frame_alloc();
    try {
      ByteBuffer asc = packets.get(0).getConfig().getExtradata().duplicate();
      BytePointer extradata = new BytePointer(av_mallocz(asc.remaining() + AV_INPUT_BUFFER_PADDING_SIZE));
      byte[] ascBytes = new byte[asc.remaining()];
      asc.get(ascBytes);
      extradata.put(ascBytes);
      context.extradata(extradata);
      context.extradata_size(ascBytes.length);
      assertThat(avcodec_open2(context, avcodec_find_decoder(AV_CODEC_ID_AAC), (AVDictionary) null)).isZero();
      List<float[]> chunks = new ArrayList<>();
      int total = 0;
      for (Packet p : packets) {
        byte[] bytes = new byte[p.getData().remaining()];
        p.getData().duplicate().get(bytes);
        av_new_packet(packet, bytes.length);
        packet.data().put(bytes);
        assertThat(avcodec_send_packet(context, packet)).isZero();
        av_packet_unref(packet);
        while (avcodec_receive_frame(context, frame) == 0) {
          float[] chunk = new float[frame.nb_samples()];
          new FloatPointer(frame.data(0)).get(chunk);
          chunks.add(chunk);
          total += chunk.length;
        }
      }
      float[] pcm = new float[total];
      int at = 0;
      for (float[] c : chunks) {
        System.arraycopy(c, 0, pcm, at, c.length);
        at += c.length;
      }
      return pcm;
    } finally {
      av_frame_free(frame);
      av_packet_free(packet);
      avcodec_free_context(context);
    }
  }

  static double goertzel(float[] samples, double hz) {
    double coefficient = 2 * Math.cos(2 * Math.PI * hz / 48_000.0);
    double s1 = 0;
    double s2 = 0;
    for (float sample : samples) {
      double s0 = sample + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  }
}
