package io.capstan.notifier.status;

import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.Notice;
import io.capstan.schemas.RecordingEvent;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's ledger, keyed by jobId: its folded {@link JobStatus}, whose {@code lastSequence} also
 * says which number the next event gets. Each event becomes a {@link Notice} (numbered in the
 * job's order) and an updated status; a job spec only refreshes what the status shows of it.
 * Under exactly_once_v2 the store update and both outputs commit together, so a restart neither
 * skips nor reuses a sequence number.
 */
final class JobLedgerProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

  private static final Logger log = LoggerFactory.getLogger(JobLedgerProcessor.class);

  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, JobStatus> ledger;

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.ledger = context.getStateStore(NotifierTopology.LEDGER_STORE);
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    if (record.key() == null || record.value() == null) {
      return; // tombstones and keyless records carry nothing to fold
    }
    try {
      if (record.value() instanceof RecordingEvent event) {
        onEvent(record, event);
      } else if (record.value() instanceof JobSpec spec) {
        onSpec(record, spec);
      }
    } catch (RuntimeException e) {
      // A record we cannot fold must not stop every other job's notices: skip it, loudly.
      log.error("skipped a record of job {} that could not be folded", record.key(), e);
    }
  }

  private void onEvent(Record<String, SpecificRecord> record, RecordingEvent event) {
    String jobId = record.key();
    JobStatus current = ledger.get(jobId);
    if (current == null) {
      current = StatusFolder.empty(jobId);
    }
    long sequence = current.getLastSequence() + 1;
    JobStatus next = StatusFolder.fold(current, event, sequence);
    ledger.put(jobId, next);
    Notice notice = Notice.newBuilder().setNoticeId(event.getEventId()).setSequence(sequence)
        .setEvent(StatusUpdateDetails.completed(event, current)).build();
    context.forward(record.withValue(notice), NotifierTopology.NOTICES_SINK);
    context.forward(record.withValue(next), NotifierTopology.STATUS_SINK);
  }

  private void onSpec(Record<String, SpecificRecord> record, JobSpec spec) {
    String jobId = record.key();
    JobStatus current = ledger.get(jobId);
    JobStatus next = StatusFolder.withSpec(current == null ? StatusFolder.empty(jobId) : current, spec);
    if (!next.equals(current)) {
      ledger.put(jobId, next);
      context.forward(record.withValue(next), NotifierTopology.STATUS_SINK);
    }
  }
}
