package io.capstan.storage;

import io.capstan.storage.path.SafePaths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Vendor 99, the local file system: {@code <root>/<bucket>/<key>}. Chunks go to a hidden temp file
 * beside the target ({@code .<name>.part}), renamed atomically onto the target when the last chunk
 * is written and forced to disk, so a reader never sees half a file.
 */
public final class LocalStore implements ObjectStore {

  static final String TEMP_SUFFIX = ".part";

  private final Path bucketDir;

  public LocalStore(Path bucketDir) {
    this.bucketDir = bucketDir.toAbsolutePath().normalize();
  }

  public Path bucketDir() {
    return bucketDir;
  }

  @Override
  public void put(String key, ByteBuffer data, long offset, boolean last) throws StoreException {
    Path target = resolve(key);
    Path temp = target.resolveSibling("." + target.getFileName() + TEMP_SUFFIX);
    ByteBuffer bytes = data.duplicate();
    long end = offset + bytes.remaining();
    try {
      Files.createDirectories(target.getParent());
      if (offset > 0 && !Files.exists(temp)) {
        if (last && Files.exists(target) && Files.size(target) == end) {
          return; // this last chunk was stored and renamed before a restart: nothing to do
        }
        throw new StoreException("a chunk at byte " + offset + " arrived without the chunks before it", true);
      }
      OpenOption[] options = offset == 0
          ? new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING}
          : new OpenOption[] {StandardOpenOption.WRITE};
      try (FileChannel channel = FileChannel.open(temp, options)) {
        if (channel.size() < offset) {
          throw new StoreException("a chunk at byte " + offset + " arrived but only " + channel.size()
              + " bytes came before it", true);
        }
        long position = offset;
        while (bytes.hasRemaining()) {
          position += channel.write(bytes, position);
        }
        if (last) {
          channel.truncate(end);
          channel.force(true);
        }
      }
      if (last) {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (AccessDeniedException e) {
      throw new StoreException("the local storage refuses writes (permissions of the uploader's storage root)", true, e);
    } catch (IOException e) {
      throw new StoreException("local write failed: " + e.getClass().getSimpleName(), false, e);
    }
  }

  @Override
  public List<String> list(String prefix) throws StoreException {
    if (!Files.isDirectory(bucketDir)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(bucketDir)) {
      paths.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(TEMP_SUFFIX))
          .map(p -> bucketDir.relativize(p).toString().replace('\\', '/'))
          .filter(k -> k.startsWith(prefix))
          .sorted()
          .forEach(keys::add);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new StoreException("cannot list the local storage: " + e.getClass().getSimpleName(), false, e);
    }
    return keys;
  }

  @Override
  public byte[] get(String key) throws StoreException {
    try {
      return Files.readAllBytes(resolve(key));
    } catch (NoSuchFileException e) {
      throw new StoreException(StoreException.Category.NOT_FOUND, "no file " + key + " in the local storage");
    } catch (IOException e) {
      throw new StoreException("local read failed: " + e.getClass().getSimpleName(), false, e);
    }
  }

  @Override
  public void delete(String key) throws StoreException {
    Path target = resolve(key);
    try {
      Files.deleteIfExists(target);
      // Empty folders left behind would pile up in a backup root; the bucket folder itself stays.
      for (Path dir = target.getParent(); dir != null && !dir.equals(bucketDir) && dir.startsWith(bucketDir);
           dir = dir.getParent()) {
        try (Stream<Path> entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            break;
          }
        }
        Files.deleteIfExists(dir);
      }
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      // a file arrived meanwhile: the folder stays
    } catch (IOException e) {
      throw new StoreException("local delete failed: " + e.getClass().getSimpleName(), false, e);
    }
  }

  @Override
  public void abort(String key) {
    try {
      Path target = resolve(key);
      Files.deleteIfExists(target.resolveSibling("." + target.getFileName() + TEMP_SUFFIX));
    } catch (IOException | RuntimeException e) {
      // nothing to undo: the next chunk at offset 0 truncates the temp file anyway
    }
  }

  /** The file of {@code key}; a key that would leave the bucket's folder is refused, whoever wrote it. */
  private Path resolve(String key) {
    return SafePaths.resolveInside(bucketDir, key);
  }
}
