package io.capstan.segmenter.files;

import io.capstan.schemas.FileChunk;
import io.capstan.schemas.FileKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Cuts a file into capstan.files records of at most {@link #MAX_CHUNK_BYTES} (PIPELINE.md). */
public final class FileChunks {

  public static final int MAX_CHUNK_BYTES = 4 * 1024 * 1024;

  private FileChunks() {
  }

  /** What every chunk of one file says about it. */
  public record FileInfo(String jobId, String fileName, FileKind kind, String uid, String trackType, long startUtcMs,
                         double durationSeconds) {
  }

  public static List<FileChunk> split(FileInfo info, byte[] data) {
    return split(info, data, MAX_CHUNK_BYTES);
  }

  static List<FileChunk> split(FileInfo info, byte[] data, int maxChunkBytes) {
    List<FileChunk> chunks = new ArrayList<>();
    int offset = 0;
    do {
      int length = Math.min(maxChunkBytes, data.length - offset);
      boolean last = offset + length >= data.length;
      chunks.add(FileChunk.newBuilder()
          .setJobId(info.jobId())
          .setFileName(info.fileName())
          .setKind(info.kind())
          .setOffset(offset)
          .setLast(last)
          .setData(ByteBuffer.wrap(data, offset, length).slice())
          .setUid(info.uid())
          .setTrackType(info.trackType())
          .setStartUtcMs(info.startUtcMs())
          .setDurationSeconds(info.durationSeconds())
          .build());
      offset += length;
    } while (offset < data.length);
    return chunks;
  }

  /** The record that closes a job's files. */
  public static FileChunk endOfFiles(String jobId) {
    return FileChunk.newBuilder()
        .setJobId(jobId)
        .setFileName("")
        .setKind(FileKind.END_OF_FILES)
        .setData(ByteBuffer.allocate(0))
        .build();
  }
}
