package io.capstan.segmenter.job;

import io.capstan.schemas.FileChunk;
import io.capstan.schemas.RecordingEvent;

/** Where a job's files and events go (the service's transactional producer). */
public interface Emitter {

  void file(FileChunk chunk);

  /** The playlist of {@code output}, as it stands after its latest slice. */
  void playlist(OutputKey output, FileChunk chunk);

  void event(RecordingEvent event);
}
