package io.capstan.storage.recording;

import io.capstan.storage.ObjectStore;
import io.capstan.storage.StoreException;
import io.capstan.storage.path.InvalidPathException;
import io.capstan.storage.path.ObjectPaths;
import io.capstan.storage.path.SafePaths;
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

  /**
   * A file that could not be read back: its name (without prefix) and why; {@code refused} when the
   * playlist named it but it would have landed outside the folder (the name is a stranger's data).
   */
  public record Missing(String fileName, String reason, boolean refused) {
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
          store.download(files.key(name), SafePaths.playlistEntry(dir, name));
        } catch (InvalidPathException e) {
          // A playlist is data anyone who can write the bucket may have written: such an entry never names a file.
          missing.add(new Missing(name, e.getMessage(), true));
          absent.add(name);
        } catch (StoreException | RuntimeException e) {
          missing.add(new Missing(name, e.getMessage(), false));
          absent.add(name);
        }
        progress.copied(name, ++done, needed.size());
      }
      List<StoredPlaylist.Slice> kept = parsed.slices().stream()
          .filter(s -> !absent.contains(s.uri()) && (s.map() == null || !absent.contains(s.map()))).toList();
      Path local = SafePaths.resolveInside(dir, playlistName);
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
