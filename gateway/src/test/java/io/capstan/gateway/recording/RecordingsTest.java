package io.capstan.gateway.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.gateway.mapping.InvalidRequestException;
import io.capstan.gateway.mapping.StartRequestMapper;
import io.capstan.gateway.resource.ResourceIdException;
import io.capstan.gateway.resource.ResourceIds;
import io.capstan.runtime.events.ExitStatus;
import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.source.SourcePolicy;
import io.capstan.runtime.spec.JobSpecValidator;
import io.capstan.runtime.spec.SpecLimits;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.RecordingCommand;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StopCommand;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The calls' error answers, with the command sink and the job views in memory. */
class RecordingsTest {

  static {
    io.capstan.schemas.serde.AvroTrust.install();
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String START = """
      {"cname": "room", "uid": "527841", "clientRequest": {"recordingConfig": {}}}""";

  private Instant now = Instant.parse("2026-11-24T08:53:01Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };
  private final ResourceIds ids = new ResourceIds("a-test-secret-of-enough-bytes".getBytes(StandardCharsets.UTF_8),
      clock, Duration.ofMinutes(5));
  private final List<RecordingCommand> sent = new ArrayList<>();
  private final FakeJobs jobs = new FakeJobs();
  private static final StartChecks CHECKS = new StartChecks(new JobSpecValidator(
      new SourcePolicy(false, AddressPolicy.of(false)), SpecLimits.DEFAULTS), AddressPolicy.of(false));
  private final Recordings recordings = new Recordings(ids, new StartRequestMapper(StartRequestMapper.Options.DEFAULTS),
      CHECKS, sent::add, jobs, Duration.ZERO, Duration.ofSeconds(20), clock);

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private String acquire(String cname, String uid) {
    return recordings.acquire("app", json("{\"cname\": \"" + cname + "\", \"uid\": \"" + uid + "\"}"))
        .body().get("resourceId").asText();
  }

  private String start(String rid) {
    return recordings.start("app", rid, "mix", json(START)).join().body().get("sid").asText();
  }

  private static void assertRefusal(Runnable call, int status, int code, String reason) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(Refusal.class, r -> {
      assertThat(r.status()).isEqualTo(status);
      assertThat(r.answer().body().get("code").asInt()).isEqualTo(code);
      assertThat(r.answer().body().get("reason").asText()).startsWith(reason);
    });
  }

  private static void assertResourceId(Runnable call, int code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ResourceIdException.class,
        e -> assertThat(e.kind().code()).isEqualTo(code));
  }

  private JobStatus status(String sid, int status, long sliceStart, List<FileEntry> files, String uploading) {
    return JobStatus.newBuilder().setJobId(sid).setChannel("room").setRecorderUid("527841")
        .setResourceId(jobs.specOrSent(sid, sent).getResourceId()).setMode(RecordingMode.COMPOSITE).setStatus(status)
        .setSliceStartTime(sliceStart).setFileList(files).setUploadingStatus(uploading)
        .setUpdatedUtcMs(now.toEpochMilli()).setExited(status == 8).build();
  }

  @Test
  void startWritesTheStartCommandAndAnswersTheIds() {
    String rid = acquire("room", "527841");
    var answer = recordings.start("app", rid, "mix", json(START)).join();
    assertThat(answer.status()).isEqualTo(200);
    String sid = answer.body().get("sid").asText();
    assertThat(sid).matches("[0-9a-f]{32}");
    assertThat(answer.body().get("resourceId").asText()).isEqualTo(rid);
    assertThat(sent).singleElement().satisfies(c -> {
      assertThat(c.getJobId()).isEqualTo(sid);
      assertThat(((StartCommand) c.getAction()).getSpec().getResourceId()).isEqualTo(rid);
    });
  }

  @Test
  void aRepeatedStartIsAlreadyStarted() {
    String rid = acquire("room", "527841");
    String sid = start(rid);
    assertRefusal(() -> recordings.start("app", rid, "mix", json(START)), 201, 7, "already started");
    try {
      recordings.start("app", rid, "mix", json(START));
    } catch (Refusal r) {
      assertThat(r.answer().body().get("sid").asText()).isEqualTo(sid);
    }
    assertThat(sent).hasSize(1);
  }

  @Test
  void aSecondRecordingOfTheSameCnameAndUidIsATaskConflict() {
    start(acquire("room", "527841"));
    assertRefusal(() -> recordings.start("app", acquire("room", "527841"), "mix", json(START)), 400, 53, "task conflict");
    // Another recorder uid in the same channel is fine.
    recordings.start("app", acquire("room", "527842"), "mix", json(START.replace("527841", "527842")));
    assertThat(sent).hasSize(2);
  }

  @Test
  void theConflictEndsWhenTheFirstRecordingHasExited() {
    String sid = start(acquire("room", "527841"));
    jobs.statuses.put(sid, status(sid, 8, 1, List.of(), "uploaded"));
    start(acquire("room", "527841"));
    assertThat(sent).hasSize(2);
  }

  @Test
  void expiredInvalidAndMismatchedResourceIds() {
    String rid = acquire("room", "527841");
    now = now.plus(Duration.ofMinutes(6));
    assertResourceId(() -> recordings.start("app", rid, "mix", json(START)), 433);
    assertResourceId(() -> recordings.start("app", "garbage", "mix", json(START)), 1001);
    String other = acquire("room", "527841");
    assertResourceId(() -> recordings.start("app", other, "mix", json(START.replace("room", "hall"))), 432);
    assertThat(sent).isEmpty();
  }

  @Test
  void unknownOrEndedSidsAreNotFound() {
    String rid = acquire("room", "527841");
    String unknown = "0123456789abcdef0123456789abcdef";
    assertRefusal(() -> recordings.query("app", rid, unknown, "mix"), 404, 404, "failed to find worker");
    assertRefusal(() -> recordings.query("app", rid, "not-a-sid", "mix"), 404, 404, "failed to find worker");
    String sid = start(rid);
    assertThat(recordings.query("app", rid, sid, "mix").status()).isEqualTo(200);
    assertRefusal(() -> recordings.query("app", rid, sid, "individual"), 404, 404, "failed to find worker");
    assertRefusal(() -> recordings.query("app", acquire("room", "527841"), sid, "mix"), 404, 404, "failed to find worker");
    jobs.statuses.put(sid, status(sid, 8, 1, List.of(), "uploaded"));
    assertRefusal(() -> recordings.query("app", rid, sid, "mix"), 404, 404, "failed to find worker");
    assertRefusal(() -> recordings.stop("app", rid, sid, "mix", json(START)), 404, 404, "failed to find worker");
  }

  @Test
  void stopOfARecordingWithoutMediaIsNoRecordedData() {
    String rid = acquire("room", "527841");
    String sid = start(rid);
    Answer answer = recordings.stop("app", rid, sid, "mix",
        json("{\"cname\": \"room\", \"uid\": \"527841\", \"clientRequest\": {\"async_stop\": true}}")).join();
    assertThat(answer.status()).isEqualTo(206);
    assertThat(answer.body().get("code").asInt()).isEqualTo(435);
    assertThat(sent.get(1).getAction()).isEqualTo(StopCommand.newBuilder().setAsync(true).build());
  }

  @Test
  void aSecondStopIsAnInvalidOperation() {
    String rid = acquire("room", "527841");
    String sid = start(rid);
    jobs.statuses.put(sid, status(sid, 5, 1_700_000_000_000L, List.of(), "unknown"));
    String body = "{\"cname\": \"room\", \"uid\": \"527841\", \"clientRequest\": {\"async_stop\": true}}";
    assertThat(recordings.stop("app", rid, sid, "mix", json(body)).join().status()).isEqualTo(200);
    assertRefusal(() -> recordings.stop("app", rid, sid, "mix", json(body)), 400, 49, "invalid operation");
    // Also when another gateway sent the first stop: the status says the stop was requested.
    String rid2 = acquire("hall", "1");
    String sid2 = recordings.start("app", rid2, "mix", json(START.replace("room", "hall").replace("527841", "1")))
        .join().body().get("sid").asText();
    jobs.statuses.put(sid2, status(sid2, 6, 1_700_000_000_000L, List.of(), "unknown"));
    assertRefusal(() -> recordings.stop("app", rid2, sid2, "mix",
        json(body.replace("room", "hall").replace("527841", "1"))), 400, 49, "invalid operation");
  }

  @Test
  void aSynchronousStopAnswersTheFileListOnceUploaded() {
    String rid = acquire("room", "527841");
    String sid = start(rid);
    jobs.statuses.put(sid, status(sid, 5, 1_700_000_000_000L, List.of(), "unknown"));
    CompletableFuture<Answer> answer = recordings.stop("app", rid, sid, "mix",
        json("{\"cname\": \"room\", \"uid\": \"527841\", \"clientRequest\": {}}"));
    assertThat(answer).isNotDone();
    FileEntry playlist = FileEntry.newBuilder().setFileName(sid + "_room.m3u8").setTrackType("audio_and_video")
        .setUid("0").setMixedAllUser(true).setSliceStartTime(1_700_000_000_000L).build();
    jobs.put(status(sid, 8, 1_700_000_000_000L, List.of(playlist), "uploaded"));
    assertThat(answer.join().status()).isEqualTo(200);
    assertThat(answer.join().body().at("/serverResponse/fileList").asText()).isEqualTo(sid + "_room.m3u8");
    assertThat(answer.join().body().at("/serverResponse/uploadingStatus").asText()).isEqualTo("uploaded");
  }

  @Test
  void aStartIngestRefusesAnswersWithItsReasonAndFreesTheName() {
    Recordings waiting = new Recordings(ids, new StartRequestMapper(StartRequestMapper.Options.DEFAULTS), CHECKS,
        sent::add, jobs, Duration.ofSeconds(5), Duration.ofSeconds(20), clock);
    String rid = acquire("room", "527841");
    var answer = waiting.start("app", rid, "mix", json(START));
    assertThat(answer).isNotDone();
    String sid = sent.get(0).getJobId();
    jobs.put(JobStatus.newBuilder(status(sid, 20, 0, List.of(), "unknown")).setExited(true)
        .setExitStatus(ExitStatus.NO_CAPACITY).setFirstError("no capacity: the ingest instance runs 32 recordings")
        .build());
    assertThat(answer.join().status()).isEqualTo(503);
    assertThat(answer.join().body().get("reason").asText()).startsWith("no capacity");
    // The refused recording holds nothing: the same cname and recorder uid start again, and query tells what happened.
    assertThat(waiting.query("app", rid, sid, "mix").body().at("/serverResponse/status").asInt()).isEqualTo(20);
    var again = waiting.start("app", acquire("room", "527841"), "mix", json(START));
    String sid2 = sent.get(1).getJobId();
    jobs.specs.put(sid2, JobSpec.newBuilder(((StartCommand) sent.get(1).getAction()).getSpec()).setRunning(true)
        .build());
    jobs.put(status(sid2, 5, 0, List.of(), "unknown"));
    assertThat(again.join().status()).isEqualTo(200);
  }

  @Test
  void aStartTakenAndAlreadyOverAnswers200() {
    Recordings waiting = new Recordings(ids, new StartRequestMapper(StartRequestMapper.Options.DEFAULTS), CHECKS,
        sent::add, jobs, Duration.ofSeconds(5), Duration.ofSeconds(20), clock);
    var answer = waiting.start("app", acquire("room", "527841"), "mix", json(START));
    String sid = sent.get(0).getJobId();
    // A short FAST job: done before the gateway looked.
    jobs.put(JobStatus.newBuilder(status(sid, 8, 0, List.of(), "uploaded")).setExited(true).build());
    assertThat(answer.join().status()).isEqualTo(200);
    assertThat(answer.join().body().get("sid").asText()).isEqualTo(sid);
  }

  @Test
  void whatIngestWouldRefuseIsRefusedBeforeTheCommandIsSent() {
    // The API answers this exception with 400, code 2 and the message as reason.
    assertThatThrownBy(() -> recordings.start("app", acquire("room", "527841"), "mix", json(START.replace(
        "\"recordingConfig\": {}", "\"recordingConfig\": {\"decryptionMode\": 1, \"secret\": \"abc\"}"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("clientRequest.recordingConfig.secret: must be 10 to 79 characters");
    assertThat(sent).isEmpty();
  }

  /** Job views in memory; {@link #put} completes waiting stops. */
  static final class FakeJobs implements JobLookup {
    final Map<String, JobSpec> specs = new ConcurrentHashMap<>();
    final Map<String, JobStatus> statuses = new ConcurrentHashMap<>();
    private final List<Runnable> waiters = new java.util.concurrent.CopyOnWriteArrayList<>();

    JobSpec specOrSent(String sid, List<RecordingCommand> sent) {
      return specs.getOrDefault(sid, sent.stream().filter(c -> c.getJobId().equals(sid))
          .map(c -> ((StartCommand) c.getAction()).getSpec()).findFirst().orElseThrow());
    }

    void put(JobStatus status) {
      statuses.put(status.getJobId(), status);
      waiters.forEach(Runnable::run);
    }

    @Override
    public Optional<JobSpec> spec(String sid) {
      return Optional.ofNullable(specs.get(sid));
    }

    @Override
    public Optional<JobStatus> status(String sid) {
      return Optional.ofNullable(statuses.get(sid));
    }

    @Override
    public Collection<JobSpec> specs() {
      return specs.values();
    }

    @Override
    public Collection<JobStatus> statuses() {
      return statuses.values();
    }

    @Override
    public <T> CompletableFuture<Optional<T>> await(Supplier<Optional<T>> found, Duration timeout) {
      CompletableFuture<Optional<T>> result = new CompletableFuture<>();
      result.completeOnTimeout(Optional.empty(), timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      Runnable check = () -> found.get().ifPresent(value -> result.complete(Optional.of(value)));
      waiters.add(check);
      check.run();
      return result;
    }
  }
}
