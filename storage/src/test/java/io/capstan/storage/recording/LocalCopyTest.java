package io.capstan.storage.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.schemas.StorageConfig;
import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A playlist is a stranger's data: its entries never name a file outside the copy's folder. */
class LocalCopyTest {

  static final String SID = RecordingFilesTest.SID;
  static final String PLAYLIST = SID + "_room__uid_s_1__uid_e_video.m3u8";

  @TempDir
  Path root;

  @Test
  void entriesLeavingTheFolderAreRefusedEvenWhereTheStoreHasThem() throws Exception {
    // A store that takes any key (as S3 does): only the entry check stands between a name and a file.
    String escape = "escape-" + UUID.randomUUID() + ".ts";
    Path dir = root.resolve("tmp/copy/uid0");
    List<String> hostile = List.of("../../" + escape, "ok/../../../" + escape, "/" + escape, "..\\" + escape,
        "file:" + escape);
    AnyKeyStore store = new AnyKeyStore();
    store.files.put(PLAYLIST, playlist(hostile, "ok.ts").getBytes(StandardCharsets.UTF_8));
    hostile.forEach(name -> store.files.put(name, new byte[] {6, 6, 6}));
    store.files.put("ok.ts", new byte[] {1});

    LocalCopy copy = LocalCopy.of(store, RecordingFiles.find(store, List.of(), SID), PLAYLIST, dir,
        LocalCopy.Progress.NONE);

    assertThat(copy.missing()).extracting(LocalCopy.Missing::fileName).containsExactlyElementsOf(hostile);
    assertThat(copy.missing()).allSatisfy(m -> {
      assertThat(m.refused()).isTrue();
      assertThat(m.reason()).contains(m.fileName()).contains("cannot name a file");
    });
    assertThat(copy.local().slices()).extracting(StoredPlaylist.Slice::uri).containsExactly("ok.ts");
    assertThat(store.downloads).containsExactly("ok.ts");
    assertThat(filesUnder(root)).containsExactlyInAnyOrder(dir.resolve("ok.ts"), dir.resolve(PLAYLIST));
    assertThat(Path.of("/" + escape)).doesNotExist();
  }

  @Test
  void aHostilePlaylistInTheLocalStoreCopiesWhatIsSafeAndNothingElse() throws Exception {
    Path storage = root.resolve("storage");
    ObjectStore store = new StoreFactory(storage).open(StorageConfig.newBuilder().setVendor(99).setBucket("b").build());
    store.put("p/" + PLAYLIST, ByteBuffer.wrap(playlist(List.of("../../../outside.ts", "/etc/hostname"), "a.ts")
        .getBytes(StandardCharsets.UTF_8)), 0, true);
    store.put("p/a.ts", ByteBuffer.wrap(new byte[] {1}), 0, true);
    Path dir = root.resolve("tmp/copy");
    List<Path> before = filesUnder(storage);

    LocalCopy copy = LocalCopy.of(store, RecordingFiles.find(store, List.of("p"), SID), PLAYLIST, dir,
        LocalCopy.Progress.NONE);

    assertThat(copy.missing()).extracting(LocalCopy.Missing::fileName)
        .containsExactly("../../../outside.ts", "/etc/hostname");
    assertThat(copy.missing()).allMatch(LocalCopy.Missing::refused);
    assertThat(copy.playable()).isTrue();
    assertThat(filesUnder(dir)).containsExactlyInAnyOrder(dir.resolve("a.ts"), dir.resolve(PLAYLIST));
    assertThat(filesUnder(storage)).isEqualTo(before);
    assertThat(filesUnder(root)).allMatch(p -> p.startsWith(dir) || p.startsWith(storage));
  }

  /** A media playlist whose first slices are {@code hostile} entries, then {@code ok}. */
  static String playlist(List<String> hostile, String ok) {
    StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n");
    int second = 0;
    for (String name : hostile) {
      text.append("#EXT-X-PROGRAM-DATE-TIME:2026-11-24T10:29:0").append(second++).append(".000Z\n#EXTINF:1.000,\n")
          .append(name).append('\n');
    }
    text.append("#EXT-X-PROGRAM-DATE-TIME:2026-11-24T10:29:0").append(second).append(".000Z\n#EXTINF:1.000,\n")
        .append(ok).append("\n#EXT-X-ENDLIST\n");
    return text.toString();
  }

  static List<Path> filesUnder(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** Keys are any strings, as in a cloud bucket; downloads are recorded. */
  private static final class AnyKeyStore implements ObjectStore {
    final Map<String, byte[]> files = new TreeMap<>();
    final List<String> downloads = new ArrayList<>();

    @Override
    public void put(String key, ByteBuffer data, long offset, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.duplicate().get(bytes);
      files.put(key, bytes);
    }

    @Override
    public List<String> list(String prefix) {
      return files.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    @Override
    public byte[] get(String key) throws StoreException {
      byte[] bytes = files.get(key);
      if (bytes == null) {
        throw new StoreException(StoreException.Category.NOT_FOUND, "no " + key);
      }
      return bytes;
    }

    @Override
    public void download(String key, Path target) throws StoreException {
      downloads.add(key);
      ObjectStore.super.download(key, target);
    }

    @Override
    public void delete(String key) {
      files.remove(key);
    }
  }
}
