package io.capstan.notifier.status;

import static io.capstan.notifier.support.JobEvents.T0;
import static io.capstan.notifier.support.JobEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.notifier.support.JobEvents;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.FileInfo;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.Notice;
import io.capstan.schemas.RecorderStarted;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.StatusUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifierTopologyTest {

  private TopologyTestDriver driver;
  private TestInputTopic<String, RecordingEvent> events;
  private TestInputTopic<String, JobSpec> jobs;
  private TestOutputTopic<String, Notice> notices;
  private TestOutputTopic<String, JobStatus> status;

  @BeforeEach
  void setUp(@TempDir Path stateDir) {
    Properties props = StatusStreams.config(Map.of("bootstrap.servers", "unused:9092"), stateDir, 1, "test");
    driver = new TopologyTestDriver(NotifierTopology.build(Map.of()), props);
    var keys = Serdes.String();
    events = driver.createInputTopic(Topics.EVENTS.name(), keys.serializer(),
        Topics.EVENTS.serde(Map.of()).serializer());
    jobs = driver.createInputTopic(Topics.JOBS.name(), keys.serializer(), Topics.JOBS.serde(Map.of()).serializer());
    notices = driver.createOutputTopic(Topics.NOTICES.name(), keys.deserializer(),
        Topics.NOTICES.serde(Map.of()).deserializer());
    status = driver.createOutputTopic(Topics.STATUS.name(), keys.deserializer(),
        Topics.STATUS.serde(Map.of()).deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void numbersEachJobsEventsFromZeroInItsOwnOrder() {
    List<RecordingEvent> a = JobEvents.normalRecording("job-a");
    List<RecordingEvent> b = JobEvents.normalRecording("job-b").subList(0, 3);
    // Interleaved as two jobs on one partition would be.
    for (int i = 0; i < a.size(); i++) {
      events.pipeInput("job-a", a.get(i));
      if (i < b.size()) {
        events.pipeInput("job-b", b.get(i));
      }
    }

    List<KeyValue<String, Notice>> out = notices.readKeyValuesToList();
    Map<String, List<Long>> sequences = out.stream().collect(Collectors.groupingBy(kv -> kv.key,
        Collectors.mapping(kv -> kv.value.getSequence(), Collectors.toList())));
    assertThat(sequences.get("job-a")).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(sequences.get("job-b")).containsExactly(0L, 1L, 2L);
    List<Notice> ofA = out.stream().filter(kv -> kv.key.equals("job-a")).map(kv -> kv.value).toList();
    for (int i = 0; i < a.size(); i++) {
      assertThat(ofA.get(i).getNoticeId()).isEqualTo(a.get(i).getEventId());
      assertThat(ofA.get(i).getEvent()).isEqualTo(a.get(i));
    }
  }

  @Test
  void emitsTheFoldedStatusAfterEveryEvent() {
    jobs.pipeInput("job-c", JobEvents.spec("job-c", RecordingMode.INDIVIDUAL, List.of()));
    JobEvents.normalRecording("job-c").forEach(e -> events.pipeInput("job-c", e));

    List<JobStatus> statuses = status.readValuesToList();
    assertThat(statuses).hasSize(1 + 7);
    assertThat(statuses.get(0).getStatus()).isZero();
    assertThat(statuses.get(0).getLastSequence()).isEqualTo(-1);
    assertThat(statuses.get(1).getStatus()).isEqualTo(5);
    JobStatus last = statuses.get(statuses.size() - 1);
    assertThat(last.getStatus()).isEqualTo(8);
    assertThat(last.getMode()).isEqualTo(RecordingMode.INDIVIDUAL);
    assertThat(last.getResourceId()).isEqualTo("rid-job-c");
    assertThat(last.getUploadingStatus()).isEqualTo("uploaded");
    assertThat(last.getFileList()).containsExactly(JobEvents.playlist("job-c"));
    assertThat(last.getLastSequence()).isEqualTo(6);
    assertThat(statuses).extracting(JobStatus::getLastSequence).containsExactly(-1L, 0L, 1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void aRepeatedSpecChangesNothingAndEmitsNothing() {
    JobSpec spec = JobEvents.spec("job-d", RecordingMode.COMPOSITE, List.of());
    jobs.pipeInput("job-d", spec);
    events.pipeInput("job-d", event("job-d", T0, new RecorderStarted(0)));
    jobs.pipeInput("job-d", JobSpec.newBuilder(spec).setGeneration(2).build());
    assertThat(status.readValuesToList()).hasSize(2);
  }

  @Test
  void aStatusUpdateNoticeCarriesTheRecordingModeAndThePlaylist() {
    jobs.pipeInput("job-f", JobEvents.spec("job-f", RecordingMode.COMPOSITE, List.of()));
    events.pipeInput("job-f", event("job-f", T0, new FileInfo(List.of(JobEvents.playlist("job-f")), "")));
    events.pipeInput("job-f", event("job-f", T0 + 1, StatusUpdate.newBuilder().setStatus(6).build()));
    jobs.pipeInput("job-g", JobEvents.spec("job-g", RecordingMode.INDIVIDUAL, List.of()));
    events.pipeInput("job-g", event("job-g", T0, StatusUpdate.newBuilder().setStatus(6).build()));

    Map<String, StatusUpdate> updates = notices.readValuesToList().stream()
        .filter(n -> n.getEvent().getDetails() instanceof StatusUpdate)
        .collect(Collectors.toMap(n -> n.getEvent().getJobId(), n -> (StatusUpdate) n.getEvent().getDetails()));
    assertThat(updates.get("job-f").getRecordingMode()).as("composite").isZero();
    assertThat(updates.get("job-f").getFileList()).isEqualTo(JobEvents.playlist("job-f").getFileName());
    assertThat(updates.get("job-g").getRecordingMode()).as("individual").isEqualTo(1);
    assertThat(updates.get("job-g").getFileList()).as("no single playlist").isEmpty();
  }

  @Test
  void skipsARecordThatIsNotAnEventAndGoesOn() {
    driver.createInputTopic(Topics.EVENTS.name(), Serdes.String().serializer(), new ByteArraySerializer())
        .pipeInput("job-e", "not avro".getBytes(StandardCharsets.UTF_8));
    events.pipeInput("job-e", event("job-e", T0, new RecorderStarted(0)));
    events.pipeInput("job-e", event("job-e", T0 + 1, new SessionExit(0)));

    assertThat(notices.readValuesToList()).extracting(Notice::getSequence).containsExactly(0L, 1L);
  }
}
