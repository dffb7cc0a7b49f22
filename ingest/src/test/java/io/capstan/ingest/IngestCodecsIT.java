package io.capstan.ingest;

import static io.capstan.ingest.TestSpecs.composite;
import static io.capstan.ingest.TestSpecs.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.VideoFrame;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The codecs users record from, each decoded to frames in a composite job. */
@ExtendWith(KafkaBroker.class)
class IngestCodecsIT {

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

  @ParameterizedTest(name = "{0} in {1}")
  @CsvSource({"H264_AAC, mp4", "VP8_OPUS, webm", "H265_AAC, mp4", "H265_AAC, mkv"})
  void aFileIsDecodedToFrames(String codecs, String container, @TempDir Path dir) throws Exception {
    List<String> encoders = (List<String>) TestMedia.class.getField(codecs).get(null);
    Path file = TestMedia.make(dir.resolve("source." + container), 3, encoders);
    String jobId = "codec-" + codecs.toLowerCase() + "-" + UUID.randomUUID();
    ingest.start(composite(jobId, Pacing.FAST, source("cam", file.toString())).build());

    try (TopicReader<MediaRecord> frames = ingest.reader(Topics.FRAMES, jobId)) {
      List<MediaRecord> records = frames.until(r -> !r.isEmpty() && r.get(r.size() - 1).getBody() instanceof EndOfJob,
          TIMEOUT);
      List<VideoFrame> video = records.stream().filter(r -> r.getBody() instanceof VideoFrame)
          .map(r -> (VideoFrame) r.getBody()).toList();
      assertThat(video).hasSizeBetween(44, 46);
      assertThat(video).allMatch(v -> v.getWidth() == 320 && v.getHeight() == 240);
      // testsrc2's background is dark at the top left; a decoder that fails gives green or grey.
      VideoFrame middle = video.get(video.size() / 2);
      assertThat(middle.getData().get(middle.getData().position()) & 0xff).isLessThan(100);

      List<AudioFrame> audio = records.stream().filter(r -> r.getBody() instanceof AudioFrame)
          .map(r -> (AudioFrame) r.getBody()).toList();
      assertThat(audio).allMatch(a -> a.getSampleRate() == 48_000 && a.getChannels() == 1);
      long samples = 0;
      long crossings = 0;
      short previous = 0;
      for (AudioFrame a : audio) {
        ShortBuffer pcm = a.getSamples().duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        samples += pcm.remaining();
        while (pcm.hasRemaining()) {
          short s = pcm.get();
          if ((s >= 0) != (previous >= 0)) {
            crossings++;
          }
          previous = s;
        }
      }
      assertThat(samples).isCloseTo(3 * 48_000L, within(4_800L));
      assertThat(crossings / (samples / 48_000.0)).as("a 440 Hz tone").isCloseTo(880.0, within(40.0));
    }
  }
}
