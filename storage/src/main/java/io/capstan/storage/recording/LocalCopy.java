package io.capstan.storage.recording;

import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreException;
import io.capstan.storage.path.ObjectPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A playlist of a stored recording copied into a local folder with its slices (and fMP4 init
 * segments), so FFmpeg reads it as local files. A slice that cannot be read back is left out of
 * the local playlist and reported in {@link #missing()}: what remains still plays, with a gap.
 *
 * @param playlist the local playlist file
 * @param parsed   the playlist as stored (every slice, also the missing ones)
 * @param local    the slices copied (what the local playlist names)
 * @param missing  names of the files that could not be read back, with why
 */
public record LocalCopy(Path playlist, StoredPlaylist parsed, StoredPlaylist local, List<Missing> missing) {

  /** A file that could not be read back: its name (without prefix) and the store's reason. */
  public record Missing(String fileName, String reason) {
  }

  /** What a copy reports as it goes (the tools show it as progress). */
  public interface Progress {
    void copied(String fileName, int done, int total);

    Progress NONE = (f, d, t) -> { };
  }

  /**
   * Copies {@code playlistName} (a name of {@code files}) and its slices into {@code dir}.
   *
   * @throws StoreException when the playlist itself cannot be read
   */
  public static LocalCopy of(ObjectStore store, RecordingFiles files, String playlistName, Path dir,
                             Progress progress) throws StoreException {
    ObjectPaths.requireFileName(playlistName);
    StoredPlaylist parsed = StoredPlaylist.parse(new String(store.get(files.key(playlistName)), StandardCharsets.UTF_8));
    Set<String> needed = new LinkedHashSet<>();
    for (StoredPlaylist.Slice s : parsed.slices()) {
      if (s.map() != null) {
        needed.add(s.map());
      }
      needed.add(s.uri());
    }
    List<Missing> missing = new ArrayList<>();
    Set<String> absent = new LinkedHashSet<>();
    int done = 0;
    try {
      Files.createDirectories(dir);
      for (String name : needed) {
        try {
          ObjectPaths.requireFileName(name);
          store.download(files.key(name), dir.resolve(name));
        } catch (StoreException | RuntimeException e) {
          missing.add(new Missing(name, e.getMessage()));
          absent.add(name);
        }
        progress.copied(name, ++done, needed.size());
      }
      List<StoredPlaylist.Slice> kept = parsed.slices().stream()
          .filter(s -> !absent.contains(s.uri()) && (s.map() == null || !absent.contains(s.map()))).toList();
      Path local = dir.resolve(playlistName);
      StoredPlaylist copied = parsed.only(kept);
      Files.writeString(local, copied.render());
      return new LocalCopy(local, parsed, copied, List.copyOf(missing));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the local copy in " + dir, e);
    }
  }

  /** True when at least one slice is left to play. */
  public boolean playable() {
    return !local.slices().isEmpty();
  }
}
