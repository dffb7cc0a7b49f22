package io.capstan.segmenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.schemas.Decryption;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Packet;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.serde.AvroTrust;
import io.capstan.segmenter.hls.SegmentType;
import io.capstan.segmenter.job.CapturedFiles;
import io.capstan.segmenter.job.JobSegmenter;
import io.capstan.segmenter.media.TestMedia;
import io.capstan.segmenter.naming.FileNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real player: the composite HLS output (MPEG-TS and fMP4 slices), written to a directory, plays in hls.js inside headless
 * Chromium (src/test/js/hls-player.mjs, driven by playwright-core) and passes its midpoint with no
 * fatal error. Needs {@code node} and Debian's {@code chromium} ({@code $CHROMIUM} or
 * /usr/bin/chromium): skipped, saying so, only when one of them is absent. The npm packages are
 * installed on first use into src/test/js/node_modules (git-ignored) from package-lock.json.
 */
class HlsPlayerIT {

  private static final long T0 = 1_795_000_000_000L;
  private static final Path JS = Path.of("src", "test", "js");

  @TempDir
  Path dir;

  @BeforeAll
  static void trustContracts() {
    AvroTrust.install();
  }

  @ParameterizedTest
  @EnumSource(SegmentType.class)
  void compositeHlsPlaysPastItsMidpointInHlsJs(SegmentType type) throws Exception {
    assumeTrue(runs("node", "--version"), "node is not installed: the hls.js player test cannot run");
    String chromium = Optional.ofNullable(System.getenv("CHROMIUM")).orElse("/usr/bin/chromium");
    assumeTrue(Files.isExecutable(Path.of(chromium)),
        "Chromium is not installed at " + chromium + " (Debian package 'chromium'; or set CHROMIUM)");
    installPlayer();

    String jobId = "player";
    CapturedFiles files = new CapturedFiles();
    List<Packet> packets = TestMedia.encode(12, 2);
    try (JobSegmenter job = new JobSegmenter(spec(jobId), JobSegmenter.ffmpeg(type, 0), files, key -> Optional.empty())) {
      long offset = 0;
      for (Packet p : packets) {
        job.onRecord(EncodedPacket.newBuilder().setJobId(jobId).setUid("").setTimestampUs(p.getDtsUs()).setBody(p)
            .build(), offset++);
      }
      job.onRecord(EncodedPacket.newBuilder().setJobId(jobId).setUid("").setTimestampUs(12_000_000)
          .setBody(EndOfJob.newBuilder().setUtcMs(T0 + 12_000).build()).build(), offset);
    }
    files.writeAll(dir);
    String playlist = FileNames.compositePlaylist(jobId, "room1");
    String text = Files.readString(dir.resolve(playlist));
    assertThat(text.lines().filter(l -> l.endsWith(type.extension()))).hasSize(6);
    if (type == SegmentType.FMP4) {
      assertThat(text).contains("#EXT-X-VERSION:7");
      assertThat(text.lines().filter(l -> l.startsWith("#EXT-X-MAP:URI=\"" + jobId + "_room1_init_")))
          .as("one init segment for the whole output").hasSize(1);
    }

    Process node = new ProcessBuilder("node", "hls-player.mjs", dir.toAbsolutePath().toString(), playlist, "60")
        .directory(JS.toFile()).redirectErrorStream(true).start();
    boolean exited = node.waitFor(120, TimeUnit.SECONDS);
    if (!exited) {
      node.destroyForcibly();
    }
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(exited).as("the player finished within 120 s: " + output).isTrue();
    assertThat(node.exitValue()).as("hls.js played past the midpoint without a fatal error: " + output).isZero();
    assertThat(output).contains("\"passed\":true").contains("\"width\":320");
  }

  /** npm ci into src/test/js/node_modules unless both packages are there already. */
  private static void installPlayer() throws IOException, InterruptedException {
    Path modules = JS.resolve("node_modules");
    if (Files.isDirectory(modules.resolve("playwright-core")) && Files.isDirectory(modules.resolve("hls.js"))) {
      return;
    }
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(JS.toFile())
        .redirectErrorStream(true).start();
    String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(npm.waitFor()).as("npm ci in " + JS + ": " + output).isZero();
  }

  private static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static JobSpec spec(String jobId) {
    return JobSpec.newBuilder()
        .setJobId(jobId)
        .setChannel("room1")
        .setMode(RecordingMode.COMPOSITE)
        .setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(2).build())
        .setStartedUtcMs(T0)
        .build();
  }
}
