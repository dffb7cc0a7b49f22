package io.capstan.mixer.job;

import io.capstan.mixer.handover.InputNeeds;
import io.capstan.mixer.handover.ResumePoint;
import io.capstan.schemas.MediaRecord;
import java.util.Map;

/**
 * What the service runs per job: the composite {@link JobMixer} or the per-uid
 * {@link IndividualJob}. Records go in in partition order; {@link #advance} produces whatever the
 * event clock allows. Holds native memory: close it.
 */
public interface MixJob extends AutoCloseable {

  String jobId();

  boolean finished();

  /** Takes one record of the job. Bad records throw IllegalArgumentException (the caller skips them). */
  void accept(MediaRecord record, long nowMs);

  void advance(long nowMs);

  /**
   * Where each output handed to Kafka so far ends (uid "" for the composite), for a successor;
   * outputs not named resume without a note.
   */
  default Map<String, ResumePoint> emitted() {
    return Map.of();
  }

  /** The input a successor would need to go on from {@link #emitted()}. */
  default InputNeeds needs() {
    return InputNeeds.NONE;
  }

  @Override
  void close();
}
