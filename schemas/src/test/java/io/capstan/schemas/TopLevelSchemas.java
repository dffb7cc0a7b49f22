package io.capstan.schemas;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** The record types that travel on topics: the ones whose compatibility matters. */
final class TopLevelSchemas {

  static final List<Class<? extends SpecificRecord>> ALL = List.of(
      RecordingCommand.class, StreamAnnouncement.class, JobSpec.class, MediaRecord.class, EncodedPacket.class,
      FileChunk.class, RecordingEvent.class, Notice.class, DeadLetter.class, JobStatus.class);

  private TopLevelSchemas() {
  }
}
