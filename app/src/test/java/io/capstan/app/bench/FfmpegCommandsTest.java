package io.capstan.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FfmpegCommandsTest {

  private static final List<Path> INPUTS = List.of(Path.of("/in/0.mp4"), Path.of("/in/1.mp4"), Path.of("/in/2.mp4"),
      Path.of("/in/3.mp4"));
  private static final Encoding ENCODING = new Encoding(1280, 720, 15, 1130, "veryfast", 10);

  @Test
  void theCompositeBaselineEncodesLikeTheMixer() {
    String line = String.join(" ", FfmpegCommands.composite("ffmpeg", INPUTS, 640, 360, ENCODING, Path.of("/out")));

    assertThat(line).contains("-i /in/0.mp4 -i /in/1.mp4 -i /in/2.mp4 -i /in/3.mp4")
        .contains("xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0[v]")
        .doesNotContain("scale=")
        .contains("amix=inputs=4:normalize=0")
        .contains("-c:v libx264 -preset veryfast")
        .contains("-b:v 1130k -maxrate 1695k -bufsize 2260k")
        .contains("-g 150 -bf 0 -x264-params scenecut=0 -forced-idr 1")
        .contains("-c:a aac -b:a 48k -ac 1 -ar 48000")
        .contains("-f hls -hls_time 10 -hls_list_size 0")
        .endsWith("/out/composite.m3u8");
  }

  @Test
  void sourcesThatDoNotFillTheCanvasAreScaledToIt() {
    String line = String.join(" ", FfmpegCommands.composite("ffmpeg", INPUTS, 320, 240, ENCODING, Path.of("/out")));

    assertThat(line).contains("xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0,scale=1280:720[v]");
  }

  @Test
  void theCompositeStacksFourInputs() {
    assertThatThrownBy(() -> FfmpegCommands.composite("ffmpeg", INPUTS.subList(0, 3), 640, 360, ENCODING, Path.of("/o")))
        .hasMessageContaining("exactly 4");
  }

  @Test
  void theRemuxCopiesEachUidsVideoAndAudioIntoTheirOwnPlaylists() {
    List<String> c = FfmpegCommands.remux("ffmpeg", INPUTS, 10, Path.of("/out"));

    assertThat(String.join(" ", c)).doesNotContain("libx264").doesNotContain("aac")
        .contains("-map 0:v -c copy -f hls").contains("-map 3:a -c copy -f hls");
    assertThat(c.stream().filter(a -> a.endsWith(".m3u8"))).hasSize(8).contains("/out/uid2_video.m3u8");
  }

  @Test
  void theIndividualTranscodeUsesTheMixersPerUidBitrate() {
    String line = String.join(" ", FfmpegCommands.individualTranscode("ffmpeg", INPUTS, 640, 360, ENCODING,
        Path.of("/out")));

    // UidTranscoder: 640*360*15/10000 = 345 kbps
    assertThat(line).contains("-map 1:v -c:v libx264 -preset veryfast").contains("-b:v 345k")
        .contains("-map 1:a -c:a aac -b:a 48k");
  }

  @Test
  void sourcesArePatternsWithTonesAndAKeyframeEverySecond() {
    String line = String.join(" ", FfmpegCommands.source("ffmpeg", 1, 640, 360, 15, 30, Path.of("/in/1.mp4")));

    assertThat(line).contains("smptebars=size=640x360:rate=15:duration=30")
        .contains("sine=frequency=500:sample_rate=48000:duration=30").contains("-g 15").endsWith("/in/1.mp4");
  }

  @Test
  void aRealtimeCommandReadsEachInputAtItsRateAndStampsItsSlices() {
    List<String> live = FfmpegCommands.realtime(FfmpegCommands.remux("ffmpeg", INPUTS.subList(0, 2), 2, Path.of("/out")),
        20);
    String line = String.join(" ", live);

    assertThat(line).startsWith("ffmpeg ").contains("-re -readrate_initial_burst 0 -t 20 -i /in/0.mp4 -re")
        .contains("-readrate_initial_burst 0 -t 20 -i /in/1.mp4")
        .contains("-f hls -hls_flags program_date_time -hls_time 2");
    assertThat(live.stream().filter("program_date_time"::equals).count()).isEqualTo(4);
  }
}
