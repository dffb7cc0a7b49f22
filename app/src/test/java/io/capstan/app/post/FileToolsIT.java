package io.capstan.app.post;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.app.Capstan;
import io.capstan.schemas.StorageConfig;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreFactory;
import io.capstan.storage.testing.S3ProxyServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * capstan convert, merge and mix-audio on a finished recording in a local folder and in an S3 store
 * (s3proxy): outputs decode with the right pictures and tones; a missing slice is named and the tool fails.
 */
class FileToolsIT {

  static final String SID = "0123456789abcdef0123456789abcdef";
  static final String CNAME = "room";
  static Path recording;
  static S3ProxyServer s3;

  @BeforeAll
  static void makeRecording(@TempDir Path dir) throws Exception {
    recording = dir;
    // A composite recording: red, 500 Hz, 0-4 s.
    RecordingFixture.slices(dir, SID + "_" + CNAME, "av", "red", 500, new double[][] {{0, 2}, {2, 2}});
    // Individual: uid 1 blue 400 Hz 0.5-6.5 s; uid 2 green 800 Hz 0.5-2.5 and 4.5-6.5 s (away in between).
    RecordingFixture.uid(dir, SID, CNAME, "1", "blue", 400, new double[][] {{0.5, 2}, {2.5, 2}, {4.5, 2}});
    RecordingFixture.uid(dir, SID, CNAME, "2", "green", 800, new double[][] {{0.5, 2}, {4.5, 2}});
    s3 = S3ProxyServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  record Run(int code, String out, String err) {
  }

  static Run capstan(String... args) {
    CommandLine cli = Capstan.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Where the recording is for the tools: --dir, or the S3 bucket it was uploaded to. */
  static List<String> local(Path dir) {
    return List.of("--dir", dir.toString());
  }

  static List<String> inS3(Path dir, String prefix) throws Exception {
    String bucket = s3.newBucket();
    StorageConfig storage = StorageConfig.newBuilder().setVendor(1).setRegion("0").setBucket(bucket)
        .setAccessKey(S3ProxyServer.ACCESS_KEY).setSecretKey(S3ProxyServer.SECRET_KEY).setEndpoint(s3.endpoint()).build();
    try (ObjectStore store = new StoreFactory(Path.of("target")).open(storage);
         Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        store.put(prefix + "/" + f.getFileName(), ByteBuffer.wrap(Files.readAllBytes(f)), 0, true);
      }
    }
    return List.of("--vendor", "1", "--bucket", bucket, "--endpoint", s3.endpoint(), "--access-key",
        S3ProxyServer.ACCESS_KEY, "--secret-key", S3ProxyServer.SECRET_KEY, "--prefix", prefix);
  }

  static String[] args(List<String> where, String... rest) {
    List<String> all = new ArrayList<>(List.of(rest));
    all.addAll(where);
    return all.toArray(String[]::new);
  }

  @Test
  void theToolsWorkOnALocalFolder(@TempDir Path out) throws Exception {
    checkAll(local(recording), out);
  }

  @Test
  void theToolsWorkOnAnS3Store(@TempDir Path out) throws Exception {
    checkAll(inS3(recording, "rec/day1"), out);
  }

  private void checkAll(List<String> where, Path out) throws Exception {
    Run convert = capstan(args(where, "convert", "--sid", SID, "--out", out.resolve("c.mp4").toString()));
    assertThat(convert.code()).as(convert.err()).isZero();
    assertThat(convert.out()).contains("reading " + SID + "_" + CNAME + ".m3u8: 2/2").contains("wrote");
    DecodedMedia c = DecodedMedia.of(out.resolve("c.mp4"));
    assertThat(c.durationSeconds).isCloseTo(4.0, Offset.offset(0.3));
    assertThat(c.pictures(0.2, 3.8)).isNotEmpty().allSatisfy(p -> assertThat(p.r()).isGreaterThan(150));
    assertThat(c.tone(500, 0.2, 3.8)).isGreaterThan(0.5);

    Run merge = capstan(args(where, "merge", "--sid", SID, "--uid", "2", "--out", out.resolve("m.mp4").toString()));
    assertThat(merge.code()).as(merge.err()).isZero();
    assertThat(merge.out()).contains("merging: ");
    DecodedMedia m = DecodedMedia.of(out.resolve("m.mp4"));
    // From the uid's first media (0.5 s) to its last (6.5 s), away from 2.5 to 4.5 s.
    assertThat(m.durationSeconds).as(m.profile(800)).isCloseTo(6.0, Offset.offset(0.3));
    assertThat(m.pictures(0.2, 1.8)).isNotEmpty().allSatisfy(p -> assertThat(p.g()).isGreaterThan(100));
    assertThat(m.pictures(2.2, 3.8)).as(m.profile(800)).isNotEmpty().allSatisfy(p -> assertThat(p.black()).isTrue());
    assertThat(m.rms(2.2, 3.8)).as(m.profile(800)).isLessThan(0.001);
    assertThat(m.pictures(4.2, 5.8)).isNotEmpty().allSatisfy(p -> assertThat(p.g()).isGreaterThan(100));
    assertThat(m.tone(800, 0.2, 1.8)).isGreaterThan(0.5);
    assertThat(m.tone(800, 4.2, 5.8)).as(m.profile(800)).isGreaterThan(0.5);

    Run mix = capstan(args(where, "mix-audio", "--sid", SID, "--out", out.resolve("x.mp3").toString(),
        "--sample-rate", "32000", "--channels", "1"));
    assertThat(mix.code()).as(mix.err()).isZero();
    DecodedMedia x = DecodedMedia.of(out.resolve("x.mp3"));
    assertThat(x.sampleRate).isEqualTo(32_000);
    assertThat(x.channels).isEqualTo(1);
    // From the first media (0.5 s on the recording's timeline): both uids, uid 2 silent from 2.0 to 4.0 s.
    String profile = x.profile(800) + "\n400 Hz:" + x.profile(400);
    assertThat(x.durationSeconds).as(profile).isCloseTo(6.0, Offset.offset(0.3));
    assertThat(x.tone(400, 0.5, 1.8)).as(profile).isGreaterThan(0.3);
    assertThat(x.tone(800, 0.5, 1.8)).as(profile).isGreaterThan(0.3);
    assertThat(x.tone(400, 2.3, 3.8)).as(profile).isGreaterThan(0.8);
    assertThat(x.tone(800, 2.3, 3.8)).as(profile).isLessThan(0.05);
    assertThat(x.tone(800, 4.3, 5.8)).as(profile).isGreaterThan(0.3);
  }

  @Test
  void aMissingSliceIsNamedAndTheToolFails(@TempDir Path copy, @TempDir Path out) throws Exception {
    try (Stream<Path> files = Files.list(recording)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    String gone;
    try (Stream<Path> files = Files.list(copy)) {
      gone = files.map(p -> p.getFileName().toString()).filter(n -> n.contains("__uid_s_2__uid_e_video_"))
          .sorted().findFirst().orElseThrow();
    }
    Files.delete(copy.resolve(gone));
    Run merge = capstan(args(local(copy), "merge", "--sid", SID, "--uid", "2", "--out", out.resolve("m.mp4").toString()));
    assertThat(merge.code()).isEqualTo(3);
    assertThat(merge.err()).contains("missing in " + copy + ": " + gone);
    assertThat(out.resolve("m.mp4")).doesNotExist();

    List<String> s3 = inS3(copy, "x");
    Run mix = capstan(args(s3, "merge", "--sid", SID, "--uid", "2", "--out", out.resolve("m2.mp4").toString()));
    assertThat(mix.code()).isEqualTo(3);
    assertThat(mix.err()).contains(gone);
    Run unknown = capstan(args(local(copy), "convert", "--sid", "ffffffffffffffffffffffffffffffff", "--out",
        out.resolve("u.mp4").toString()));
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no recording ffffffffffffffffffffffffffffffff in " + copy);
  }
}
