package io.capstan.mixer.job;

import io.capstan.mixer.handover.InputNeeds;
import io.capstan.mixer.handover.ResumePoint;
import io.capstan.schemas.MediaRecord;

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

  /** Where the output handed to Kafka so far ends, for a successor; null: it resumes without a note. */
  default ResumePoint emitted() {
    return null;
  }

  /** The input a successor would need to go on from {@link #emitted()}. */
  default InputNeeds needs() {
    return InputNeeds.NONE;
  }

  @Override
  void close();
}
