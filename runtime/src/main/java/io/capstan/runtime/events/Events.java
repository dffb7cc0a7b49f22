package io.capstan.runtime.events;

import io.capstan.runtime.config.Secrets;
import io.capstan.runtime.kafka.Resends;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingWarning;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Builds and sends the events of one job; the notifier turns them into callbacks and status. */
public final class Events {

  private Events() {
  }

  public static RecordingEvent of(JobSpec spec, Object details) {
    return of(spec.getJobId(), spec.getChannel(), spec.getRecorderUid(), details);
  }

  /**
   * An event that happens once in a recording ({@code once} names it: "uploaded", "file_info:NAME"):
   * its eventId, and so its webhook noticeId, is the same whichever instance sends it, so a
   * receiver drops the copy an instance taking over after a failover sends again.
   */
  public static RecordingEvent once(JobSpec spec, String once, Object details) {
    RecordingEvent event = of(spec, details);
    event.setEventId(UUID.nameUUIDFromBytes(("capstan:" + spec.getJobId() + ":" + once)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
    return event;
  }

  public static RecordingEvent of(String jobId, String channel, String recorderUid, Object details) {
    EventType.of(details);
    return RecordingEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setJobId(jobId)
        .setChannel(channel == null ? "" : channel)
        .setRecorderUid(recorderUid == null ? "" : recorderUid)
        .setUtcMs(System.currentTimeMillis())
        .setDetails(details)
        .build();
  }

  /**
   * An error the recording goes on after ({@link ErrorLevel#MAJOR}); a URL quoted in {@code message}
   * (often FFmpeg's or a client's words) loses its credentials.
   */
  public static RecordingError error(String module, int code, String message) {
    return error(module, ErrorLevel.MAJOR, code, message);
  }

  /** An error that ends the recording or keeps it from starting ({@link ErrorLevel#FATAL}); a session_exit follows. */
  public static RecordingError fatal(String module, int code, String message) {
    return error(module, ErrorLevel.FATAL, code, message);
  }

  private static RecordingError error(String module, int level, int code, String message) {
    return RecordingError.newBuilder().setModule(module).setErrorLevel(level).setErrorCode(code)
        .setErrorMsg(Secrets.redactUrl(message)).build();
  }

  /** A warning event; a URL quoted in {@code message} loses its credentials. */
  public static RecordingWarning warning(String module, int code, String message) {
    return RecordingWarning.newBuilder().setModule(module).setWarnCode(code).setMessage(Secrets.redactUrl(message))
        .build();
  }

  /** Sends an event as part of the producer's transaction (a failure replays the batch). */
  public static void send(Producer<String, SpecificRecord> producer, RecordingEvent event) {
    producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.getJobId(), event));
  }

  /**
   * Sends an event with a non-transactional producer, again after failures until the broker has it
   * ({@link Resends}): a lost session_exit or uploaded would leave the recording unfinished for good.
   */
  public static void sendUntilWritten(Producer<String, SpecificRecord> producer, RecordingEvent event) {
    Resends.send(producer, new ProducerRecord<>(Topics.EVENTS.name(), event.getJobId(), event));
  }
}
