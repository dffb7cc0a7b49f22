package io.capstan.segmenter.job;

import io.capstan.schemas.FileChunk;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.RecordingEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An Emitter that keeps what a job emits: files put together from their chunks, and events. */
public final class CapturedFiles implements Emitter {

  public final List<FileChunk> chunks = new ArrayList<>();
  public final List<RecordingEvent> events = new ArrayList<>();
  private final Map<String, ByteArrayOutputStream> files = new LinkedHashMap<>();
  private final Map<String, FileKind> kinds = new LinkedHashMap<>();

  @Override
  public void file(FileChunk chunk) {
    chunks.add(chunk);
    if (chunk.getKind() == FileKind.END_OF_FILES) {
      return;
    }
    ByteArrayOutputStream out = files.computeIfAbsent(chunk.getFileName(), n -> new ByteArrayOutputStream());
    if (chunk.getOffset() == 0) {
      out.reset();
    }
    if (chunk.getOffset() != out.size()) {
      throw new AssertionError(chunk.getFileName() + ": chunk at " + chunk.getOffset() + " after " + out.size()
          + " bytes");
    }
    out.writeBytes(bytes(chunk));
    kinds.put(chunk.getFileName(), chunk.getKind());
  }

  @Override
  public void playlist(OutputKey output, FileChunk chunk) {
    file(chunk);
  }

  @Override
  public void event(RecordingEvent event) {
    events.add(event);
  }

  /** Names of the files of {@code kind}, in the order they first appeared. */
  public List<String> names(FileKind kind) {
    return kinds.entrySet().stream().filter(e -> e.getValue() == kind).map(Map.Entry::getKey).toList();
  }

  public byte[] bytes(String name) {
    return files.get(name).toByteArray();
  }

  public String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  /** Writes every file into {@code dir}; returns it. */
  public Path writeAll(Path dir) throws IOException {
    for (Map.Entry<String, ByteArrayOutputStream> e : files.entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue().toByteArray());
    }
    return dir;
  }

  public Path write(Path dir, String name) throws IOException {
    return Files.write(dir.resolve(name), bytes(name));
  }

  private static byte[] bytes(FileChunk chunk) {
    ByteBuffer data = chunk.getData().duplicate();
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    return bytes;
  }
}
