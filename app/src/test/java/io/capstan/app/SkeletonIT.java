package io.capstan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.app.demo.Demo;
import io.capstan.app.webhook.WebhookReceiver;
import io.capstan.broker.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton on a real broker: a composite recording of three generated sources goes
 * through ingest, mixer, segmenter, uploader and notifier, and what lands in storage is decoded.
 */
class SkeletonIT {

  private static final int SECONDS = 10;

  @Test
  void aCompositeRecordingGoesThroughEveryServiceIntoStorageAndWebhooks(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Demo.Result result = new Demo(dir, Duration.ofSeconds(SECONDS), new PrintStream(log, true, StandardCharsets.UTF_8),
        KafkaBroker.bootstrap()).run();
    String printed = log.toString(StandardCharsets.UTF_8);

    assertThat(result.sessionExited()).as("session_exit arrived; demo output:\n" + printed).isTrue();

    // Webhooks: signed, numbered in order, the lifecycle's events present.
    List<WebhookReceiver.Callback> callbacks = result.callbacks();
    assertThat(callbacks).allSatisfy(c -> assertThat(c.signatureValid()).as(c.msgName()).isTrue());
    List<Long> sequences = callbacks.stream().map(WebhookReceiver.Callback::sequence).toList();
    assertThat(sequences).isSorted().doesNotHaveDuplicates();
    assertThat(callbacks.stream().map(WebhookReceiver.Callback::eventType).toList())
        .contains(40, 42, 30, 31, 11);
    assertThat(callbacks.get(callbacks.size() - 1).eventType()).as("session_exit comes last").isEqualTo(11);

    // The playlist is complete, and its slices decode with video and audio.
    Path playlist = result.playlist();
    String text = Files.readString(playlist);
    assertThat(text).startsWith("#EXTM3U").contains("#EXT-X-ENDLIST").contains("#EXT-X-PROGRAM-DATE-TIME");
    List<String[]> entries = HlsProbe.entries(playlist);
    assertThat(entries).hasSizeGreaterThanOrEqualTo(2);

    double extinfTotal = 0;
    double videoSeconds = 0;
    long audioSamples = 0;
    List<HlsProbe.Slice> slices = new ArrayList<>();
    for (String[] entry : entries) {
      HlsProbe.Slice slice = HlsProbe.decode(playlist.resolveSibling(entry[0]), Double.parseDouble(entry[1]));
      slices.add(slice);
      extinfTotal += slice.extinf();
      videoSeconds += slice.videoFrames() / 15.0;
      audioSamples += slice.audioSamples();
    }
    assertThat(slices).allSatisfy(s -> {
      assertThat(s.name()).matches(result.sid() + "_demo_\\d{17}\\.ts");
      assertThat(s.videoFrames()).as(s.name() + " has video").isPositive();
      assertThat(s.keyFramesAtStart()).as(s.name() + " starts with a keyframe").isEqualTo(1);
      assertThat(s.audioSamples()).as(s.name() + " has audio").isPositive();
      assertThat(s.width()).isEqualTo(1280);
      assertThat(s.height()).isEqualTo(720);
    });
    assertThat(extinfTotal).as("playlist duration").isCloseTo(SECONDS, org.assertj.core.data.Offset.offset(1.0));
    assertThat(videoSeconds).as("decoded video duration").isCloseTo(SECONDS, org.assertj.core.data.Offset.offset(1.0));
    assertThat(audioSamples / 48000.0).as("decoded audio duration").isCloseTo(SECONDS,
        org.assertj.core.data.Offset.offset(1.0));
  }
}
