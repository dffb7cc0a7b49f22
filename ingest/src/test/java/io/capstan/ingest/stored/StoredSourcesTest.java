package io.capstan.ingest.stored;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.PostProcessing;
import io.capstan.schemas.PostProcessingKind;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Subscriptions;
import io.capstan.storage.StoreFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Postponed transcoding reads the first slice of a stored recording to size its canvas: a playlist in
 * the local store (vendor 99) whose entries point outside the probe's temp folder makes the job's
 * Start fail with a Problem naming the entry, and no file is written anywhere.
 */
class StoredSourcesTest {

  static final String SID = "0123456789abcdef0123456789abcdef";

  @TempDir
  Path root;

  @ParameterizedTest
  @ValueSource(strings = {"../../../escape.ts", "/tmp/escape.ts", "..\\escape.ts", "file:escape.ts",
      "a/../../escape.ts", "#EXT-X-MAP:URI=\"../../escape.mp4\""})
  void aHostilePlaylistIsRefusedCleanly(String entry) throws Exception {
    Path bucket = Files.createDirectories(root.resolve("storage/b"));
    String playlist = SID + "_room__uid_s_7__uid_e_video.m3u8";
    String slices = entry.startsWith("#") ? entry + "\n" + slice("x.m4s") : slice(entry);
    Files.writeString(bucket.resolve(playlist), "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n" + slices
        + "#EXT-X-ENDLIST\n");
    List<Path> before = filesUnder(root);
    String named = entry.startsWith("#") ? "../../escape.mp4" : entry;

    assertThatThrownBy(() -> new StoredSources(new StoreFactory(root.resolve("storage"))).prepare(spec()))
        .isInstanceOf(StoredSources.Problem.class)
        .hasMessageContaining("playlist " + playlist)
        .hasMessageContaining("'" + named + "'")
        .hasMessageContaining("refused");
    assertThat(filesUnder(root)).isEqualTo(before);
    assertThat(Path.of(System.getProperty("java.io.tmpdir")).resolve("escape.ts")).doesNotExist();
  }

  private static String slice(String uri) {
    return "#EXT-X-PROGRAM-DATE-TIME:2026-11-24T10:29:03.000Z\n#EXTINF:2.000,\n" + uri + "\n";
  }

  private static JobSpec spec() {
    return JobSpec.newBuilder().setJobId(SID + "-pp-7").setChannel("room").setMode(RecordingMode.COMPOSITE)
        .setPacing(Pacing.FAST).setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().build()).setFiles(FileConfig.newBuilder().build())
        .setStartedUtcMs(0)
        .setPostProcessing(PostProcessing.newBuilder().setKind(PostProcessingKind.POSTPONE_TRANSCODING)
            .setSourceJobId(SID).setSourceChannel("room")
            .setSourceStorage(StorageConfig.newBuilder().setVendor(99).setBucket("b").build())
            .setUid("7").setUids(List.of("7")).build())
        .build();
  }

  private static List<Path> filesUnder(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
