package io.capstan.uploader.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The files whose first chunk was read but whose last chunk is not stored yet, per partition, with
 * the offset of that first chunk. A partition's offset is committed no further than the first chunk
 * of its oldest open file, so a restart reads every unfinished file again from its beginning (a
 * store may have held its chunks in memory). It follows that a chunk at byte offset &gt; 0 of a
 * file that is not open belongs to a file stored whole before the restart, and is skipped. Shared by
 * the partitions' writer threads and the polling thread.
 */
final class OpenFiles {

  /** An unfinished file: where its first chunk is and where its chunks go. */
  record Open(String jobId, String fileName, String key, long firstOffset, boolean backup) {
  }

  private final Map<TopicPartition, Map<String, Open>> open = new HashMap<>();

  static String id(String jobId, String fileName) {
    return jobId + "\n" + fileName;
  }

  synchronized Open get(TopicPartition tp, String jobId, String fileName) {
    return open.getOrDefault(tp, Map.of()).get(id(jobId, fileName));
  }

  synchronized void open(TopicPartition tp, Open file) {
    open.computeIfAbsent(tp, p -> new LinkedHashMap<>()).put(id(file.jobId(), file.fileName()), file);
  }

  synchronized void close(TopicPartition tp, String jobId, String fileName) {
    Map<String, Open> files = open.get(tp);
    if (files != null) {
      files.remove(id(jobId, fileName));
    }
  }

  /** The offset to commit for {@code tp} when every record before {@code next} was handled. */
  synchronized long commitOffset(TopicPartition tp, long next) {
    long offset = next;
    for (Open file : open.getOrDefault(tp, Map.of()).values()) {
      offset = Math.min(offset, file.firstOffset());
    }
    return offset;
  }

  /** Forgets {@code tp}'s open files (the partition moved away) and returns them. */
  synchronized List<Open> revoke(TopicPartition tp) {
    Map<String, Open> files = open.remove(tp);
    return files == null ? List.of() : new ArrayList<>(files.values());
  }
}
