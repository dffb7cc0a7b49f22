package io.capstan.app.tools;

import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreException;
import io.capstan.storage.recording.LocalCopy;
import io.capstan.storage.recording.RecordingFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A recording's playlists copied into a temp folder (deleted on close), every slice checked. */
final class RecordingCopy implements AutoCloseable {

  /** Exit code of a tool that found slices missing. */
  static final int MISSING = 3;

  /** Slices (or playlists) that are gone: the tool says which and stops. */
  static final class MissingFiles extends RuntimeException {
    final List<String> names;

    MissingFiles(List<String> names, String where) {
      super(names.size() == 1 ? "missing in " + where + ": " + names.get(0)
          : names.size() + " files missing in " + where + ": " + String.join(", ", names));
      this.names = names;
    }
  }

  private final Path dir;
  final RecordingFiles files;

  RecordingCopy(ObjectStore store, StoreOptions where, String sid) throws StoreException, IOException {
    this.files = RecordingFiles.find(store, where.prefixParts(), sid);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no recording " + sid + " in " + where.describe()
          + " (no " + sid + "_*.m3u8 playlist)");
    }
    this.dir = Files.createTempDirectory("capstan-tool-");
  }

  /** Copies {@code playlists}, printing progress; throws {@link MissingFiles} naming every file that is gone. */
  List<LocalCopy> copy(ObjectStore store, StoreOptions where, List<String> playlists, PrintWriter out)
      throws StoreException {
    List<LocalCopy> copies = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    int n = 0;
    for (String playlist : playlists) {
      Path to = dir.resolve("p" + n++);
      try {
        LocalCopy copy = LocalCopy.of(store, files, playlist, to, (name, done, total) -> {
          out.printf("\rreading %s: %d/%d", playlist, done, total);
          out.flush();
        });
        out.println();
        // A refused entry is named with why: it is there, but its name would leave the temp folder.
        copy.missing().forEach(m -> missing.add(m.refused() ? m.reason() : m.fileName()));
        copies.add(copy);
      } catch (StoreException e) {
        if (e.category() == StoreException.Category.NOT_FOUND) {
          missing.add(playlist);
        } else {
          throw e;
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new MissingFiles(missing, where.describe());
    }
    return copies;
  }

  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp folder
    }
  }
}
