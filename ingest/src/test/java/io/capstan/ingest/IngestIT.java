package io.capstan.ingest;

import static io.capstan.ingest.TestSpecs.colour;
import static io.capstan.ingest.TestSpecs.composite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.capstan.broker.Bootstrap;
import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.kafka.Topics;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.AudioStreamStateChanged;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecorderLeave;
import io.capstan.schemas.RecorderStarted;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.SpecChange;
import io.capstan.schemas.StatusUpdate;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.StreamStateKind;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.UpdateCommand;
import io.capstan.schemas.VideoFrame;
import io.capstan.schemas.VideoStreamStateChanged;
import io.capstan.schemas.Watermark;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** FAST jobs of generated sources, end to end through a real broker, read back as the mixer would. */
@ExtendWith(KafkaBroker.class)
class IngestIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static IngestHarness ingest;

  @BeforeAll
  static void startIngest(@Bootstrap String bootstrap) {
    ingest = new IngestHarness(bootstrap);
  }

  @AfterAll
  static void stopIngest() {
    ingest.close();
  }

  @Test
  void fastJobPublishesBothSourcesOnTheJobTimeline() throws Exception {
    String jobId = "fast-" + UUID.randomUUID();
    ingest.start(composite(jobId, Pacing.FAST, colour("1", "red", 300, 3), colour("2", "blue", 600, 3)).build());

    try (TopicReader<JobSpec> jobs = ingest.reader(Topics.JOBS, jobId);
         TopicReader<MediaRecord> frames = ingest.reader(Topics.FRAMES, jobId);
         TopicReader<RecordingEvent> events = ingest.reader(Topics.EVENTS, jobId)) {
      JobSpec first = jobs.until(s -> !s.isEmpty(), TIMEOUT).get(0);
      assertThat(first.getStartedUtcMs()).isGreaterThan(0);
      assertThat(first.getRunning()).isTrue();

      List<MediaRecord> records = frames.until(r -> !r.isEmpty() && r.get(r.size() - 1).getBody() instanceof EndOfJob,
          TIMEOUT);
      checkUid(records, "1", new int[] {81, 90, 240}, 300);
      checkUid(records, "2", new int[] {41, 240, 110}, 600);

      MediaRecord end = records.get(records.size() - 1);
      long lastMedia = records.stream().filter(r -> r.getBody() instanceof VideoFrame || r.getBody() instanceof AudioFrame)
          .mapToLong(MediaRecord::getTimestampUs).max().orElseThrow();
      assertThat(end.getUid()).isEmpty();
      assertThat(end.getTimestampUs()).isEqualTo(lastMedia);
      assertThat(lastMedia).isCloseTo(3_000_000L, within(100_000L));
      assertThat(((EndOfJob) end.getBody()).getUtcMs()).isEqualTo(first.getStartedUtcMs() + lastMedia / 1000);

      List<RecordingEvent> ev = events.until(e -> e.stream().anyMatch(x -> x.getDetails() instanceof RecorderLeave),
          TIMEOUT);
      assertThat(ev.get(0).getDetails()).isInstanceOf(RecorderStarted.class);
      for (String uid : List.of("1", "2")) {
        assertThat(ev).anyMatch(e -> e.getDetails() instanceof AudioStreamStateChanged a
            && a.getStreamUid().equals(uid) && a.getState() == 0);
        assertThat(ev).anyMatch(e -> e.getDetails() instanceof VideoStreamStateChanged v
            && v.getStreamUid().equals(uid) && v.getState() == 0);
        assertThat(ev).anyMatch(e -> e.getDetails() instanceof VideoStreamStateChanged v
            && v.getStreamUid().equals(uid) && v.getState() == 1);
      }
      assertThat(ev).anyMatch(e -> e.getDetails() instanceof StatusUpdate s && s.getStatus() == 6);
      assertThat(ev.stream().map(RecordingEvent::getDetails).filter(RecorderLeave.class::isInstance)
          .map(d -> ((RecorderLeave) d).getLeaveCode())).containsExactly(8);

      JobSpec last = jobs.until(s -> !s.get(s.size() - 1).getRunning(), TIMEOUT).get(jobs.values().size() - 1);
      assertThat(last.getStartedUtcMs()).isEqualTo(first.getStartedUtcMs());
    }
  }

  @Test
  void fastSourcesKeepPaceWithTheSlowestAndOnlyPicturesTheCompositeShowsArePublished() throws Exception {
    String jobId = "pace-" + UUID.randomUUID();
    // A heavy 60 fps source and a light 15 fps one into a 15 fps composite.
    ingest.start(composite(jobId, Pacing.FAST,
        TestSpecs.source("heavy", "lavfi:testsrc2=size=1280x720:rate=60:duration=6[out0];"
            + "sine=frequency=500:sample_rate=48000:duration=6[out1]"),
        colour("light", "red", 300, 6)).build());
    try (TopicReader<MediaRecord> frames = ingest.reader(Topics.FRAMES, jobId)) {
      List<MediaRecord> records = frames.until(r -> !r.isEmpty() && r.get(r.size() - 1).getBody() instanceof EndOfJob,
          TIMEOUT);
      long heavyAt = 0;
      long lightAt = 0;
      long maxLead = 0;
      for (MediaRecord r : records) {
        if (!(r.getBody() instanceof VideoFrame || r.getBody() instanceof AudioFrame)) {
          continue;
        }
        if (r.getUid().equals("heavy")) {
          heavyAt = Math.max(heavyAt, r.getTimestampUs());
        } else {
          lightAt = Math.max(lightAt, r.getTimestampUs());
        }
        maxLead = Math.max(maxLead, Math.abs(heavyAt - lightAt));
      }
      // In publishing order neither source is ever much more than the lead ahead of the other.
      assertThat(maxLead).isLessThanOrEqualTo(io.capstan.ingest.timeline.JobTimeline.FAST_LEAD_US + 200_000);
      long heavyPictures = records.stream().filter(r -> r.getUid().equals("heavy") && r.getBody() instanceof VideoFrame)
          .count();
      // 360 pictures at 60 fps; the composite shows 90 of them at 15 fps. A FAST source starts
      // right on an instant, where the picture before each instant is kept too.
      assertThat(heavyPictures).isBetween(88L, 182L);
    }
  }

  @Test
  void aSidewaysPhoneVideoIsTurnedUprightAsPlayersShowIt() throws Exception {
    // Coded landscape, red left and blue right, with a display matrix saying "turn 90 degrees
    // counter-clockwise": players show it portrait, blue on top.
    Path dir = Files.createTempDirectory("rotated");
    Path coded = dir.resolve("coded.mp4");
    Path sideways = dir.resolve("sideways.mp4");
    ffmpeg("-f", "lavfi", "-i", "color=c=red:s=160x180:r=15:d=2[l];color=c=blue:s=160x180:r=15:d=2[r];[l][r]hstack",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", coded.toString());
    ffmpeg("-display_rotation", "90", "-i", coded.toString(), "-c", "copy", sideways.toString());

    String jobId = "rotated-" + UUID.randomUUID();
    ingest.start(composite(jobId, Pacing.FAST, TestSpecs.source("phone", sideways.toString())).build());
    try (TopicReader<MediaRecord> frames = ingest.reader(Topics.FRAMES, jobId)) {
      List<MediaRecord> records = frames.until(r -> !r.isEmpty() && r.get(r.size() - 1).getBody() instanceof EndOfJob,
          TIMEOUT);
      VideoFrame frame = records.stream().filter(r -> r.getBody() instanceof VideoFrame)
          .map(r -> (VideoFrame) r.getBody()).skip(5).findFirst().orElseThrow();
      assertThat(frame.getWidth()).isEqualTo(180);
      assertThat(frame.getHeight()).isEqualTo(320);
      int stride = frame.getStrides().get(0);
      ByteBuffer data = frame.getData();
      assertThat(data.get(data.position() + 40 * stride + 90) & 0xff).as("top: blue's luma").isCloseTo(41, within(4));
      assertThat(data.get(data.position() + 280 * stride + 90) & 0xff).as("bottom: red's luma").isCloseTo(81, within(4));
    }
  }

  private static void ffmpeg(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(io.capstan.runtime.media.Natives.ffmpegExecutable(),
        "-hide_banner", "-loglevel", "error", "-y"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(output).isZero();
  }

  @Test
  void anInvalidStartIsReportedAndTheNextStartStillWorks() throws Exception {
    String bad = "bad-" + UUID.randomUUID();
    ingest.start(composite(bad, Pacing.FAST, colour("1", "red", 300, 1)).setMaxIdleTimeSeconds(1).build());
    String unknown = "unknown-" + UUID.randomUUID();
    ingest.stop(unknown);
    String good = "good-" + UUID.randomUUID();
    ingest.start(composite(good, Pacing.REALTIME, colour("1", "green", 300, 10)).build());
    ingest.start(composite(good, Pacing.REALTIME, colour("1", "green", 300, 10)).build());

    try (TopicReader<RecordingEvent> badEvents = ingest.reader(Topics.EVENTS, bad);
         TopicReader<RecordingEvent> unknownEvents = ingest.reader(Topics.EVENTS, unknown);
         TopicReader<RecordingEvent> goodEvents = ingest.reader(Topics.EVENTS, good);
         TopicReader<MediaRecord> goodFrames = ingest.reader(Topics.FRAMES, good)) {
      RecordingError error = (RecordingError) badEvents.until(e -> !e.isEmpty(), TIMEOUT).get(0).getDetails();
      assertThat(error.getModule()).isEqualTo("ingest");
      assertThat(error.getErrorCode()).isEqualTo(2);
      assertThat(error.getErrorMsg()).startsWith("maxIdleTimeSeconds: must be between 5 and 2592000");

      RecordingError notRunning = (RecordingError) unknownEvents.until(e -> !e.isEmpty(), TIMEOUT).get(0).getDetails();
      assertThat(notRunning.getErrorMsg()).startsWith("jobId: no running job");

      List<RecordingEvent> events = goodEvents.until(e -> e.stream().anyMatch(x -> x.getDetails()
          instanceof RecordingError), TIMEOUT);
      assertThat(events.get(0).getDetails()).isInstanceOf(RecorderStarted.class);
      assertThat(events).anyMatch(e -> e.getDetails() instanceof RecordingError r
          && r.getErrorMsg().equals("jobId: job " + good + " is already running"));

      goodFrames.until(r -> r.stream().anyMatch(x -> x.getBody() instanceof VideoFrame), TIMEOUT);
      ingest.stop(good);
      List<MediaRecord> frames = goodFrames.until(
          r -> !r.isEmpty() && r.get(r.size() - 1).getBody() instanceof EndOfJob, TIMEOUT);
      assertThat(frames).anyMatch(r -> r.getBody() instanceof StreamState st && st.getState() == StreamStateKind.LEFT);
      events = goodEvents.until(e -> e.stream().anyMatch(x -> x.getDetails() instanceof RecorderLeave), TIMEOUT);
      assertThat(events).anyMatch(e -> e.getDetails() instanceof RecorderLeave l && l.getLeaveCode() == 16);
    }
  }

  @Test
  void anUpdateThatUnsubscribesAUidsVideoStopsItFromThatInstant() throws Exception {
    String jobId = "update-" + UUID.randomUUID();
    ingest.start(composite(jobId, Pacing.REALTIME, colour("1", "red", 300, 30), colour("2", "blue", 600, 30)).build());
    try (TopicReader<MediaRecord> frames = ingest.reader(Topics.FRAMES, jobId);
         TopicReader<RecordingEvent> events = ingest.reader(Topics.EVENTS, jobId)) {
      frames.until(r -> video(r, "1", 0) >= 5 && video(r, "2", 0) >= 5, TIMEOUT);
      ingest.send(jobId, new UpdateCommand(Subscriptions.newBuilder().setUnsubscribeVideoUids(List.of("2")).build(),
          null, null));
      long changedAt = frames.until(r -> r.stream().anyMatch(x -> x.getBody() instanceof SpecChange), TIMEOUT).stream()
          .filter(x -> x.getBody() instanceof SpecChange).findFirst().orElseThrow().getTimestampUs();
      // A second more of the job: uid 1 goes on with both kinds, uid 2 with its audio only.
      List<MediaRecord> records = frames.until(r -> video(r, "1", changedAt + 1_000_000) >= 5
          && r.stream().anyMatch(x -> x.getUid().equals("2") && x.getBody() instanceof AudioFrame
              && x.getTimestampUs() > changedAt + 1_000_000), TIMEOUT);
      ingest.stop(jobId);

      assertThat(video(records, "2", changedAt + 70_000)).as("uid 2 video after the update").isZero();
      assertThat(records).anyMatch(r -> r.getUid().equals("2") && r.getBody() instanceof StreamState st
          && st.getState() == StreamStateKind.VIDEO_STOPPED && "unsubscribed".equals(st.getReason())
          && r.getTimestampUs() <= changedAt + 70_000);
      assertThat(records).noneMatch(r -> r.getUid().equals("2") && r.getBody() instanceof StreamState st
          && st.getState() == StreamStateKind.LEFT);
      events.until(e -> e.stream().anyMatch(x -> x.getDetails() instanceof VideoStreamStateChanged v
          && v.getStreamUid().equals("2") && v.getState() == 1), TIMEOUT);
      frames.until(r -> r.get(r.size() - 1).getBody() instanceof EndOfJob, TIMEOUT);
    }
  }

  private static long video(List<MediaRecord> records, String uid, long fromUs) {
    return records.stream().filter(r -> r.getUid().equals(uid) && r.getBody() instanceof VideoFrame
        && r.getTimestampUs() >= fromUs).count();
  }

  /** One uid: states, frame format and colour, tone, timeline, watermarks. */
  private static void checkUid(List<MediaRecord> all, String uid, int[] yuv, int frequency) {
    List<MediaRecord> mine = all.stream().filter(r -> r.getUid().equals(uid)).toList();
    List<StreamStateKind> states = mine.stream().filter(r -> r.getBody() instanceof StreamState)
        .map(r -> ((StreamState) r.getBody()).getState()).toList();
    assertThat(states.get(0)).isEqualTo(StreamStateKind.JOINED);
    assertThat(states).contains(StreamStateKind.AUDIO_RECEIVING, StreamStateKind.VIDEO_RECEIVING,
        StreamStateKind.AUDIO_STOPPED, StreamStateKind.VIDEO_STOPPED);
    assertThat(states.get(states.size() - 1)).isEqualTo(StreamStateKind.LEFT);
    assertThat(mine.get(mine.size() - 1).getBody()).isInstanceOf(StreamState.class);

    List<MediaRecord> video = mine.stream().filter(r -> r.getBody() instanceof VideoFrame).toList();
    assertThat(video).hasSizeBetween(43, 46);
    for (MediaRecord record : List.of(video.get(0), video.get(video.size() / 2), video.get(video.size() - 1))) {
      VideoFrame frame = (VideoFrame) record.getBody();
      assertThat(frame.getWidth()).isEqualTo(320);
      assertThat(frame.getHeight()).isEqualTo(240);
      int sy = frame.getStrides().get(0);
      int su = frame.getStrides().get(1);
      int sv = frame.getStrides().get(2);
      assertThat(sy).isGreaterThanOrEqualTo(320);
      assertThat(su).isGreaterThanOrEqualTo(160);
      ByteBuffer data = frame.getData();
      assertThat(data.remaining()).isEqualTo(sy * 240 + su * 120 + sv * 120);
      int uBase = sy * 240;
      int vBase = uBase + su * 120;
      for (int[] at : new int[][] {{0, 0}, {319, 239}, {160, 120}}) {
        assertThat(data.get(data.position() + at[1] * sy + at[0]) & 0xff).isCloseTo(yuv[0], within(3));
        assertThat(data.get(data.position() + uBase + at[1] / 2 * su + at[0] / 2) & 0xff).isCloseTo(yuv[1], within(3));
        assertThat(data.get(data.position() + vBase + at[1] / 2 * sv + at[0] / 2) & 0xff).isCloseTo(yuv[2], within(3));
      }
    }

    List<MediaRecord> audio = mine.stream().filter(r -> r.getBody() instanceof AudioFrame).toList();
    long samples = 0;
    long crossings = 0;
    short previous = 0;
    for (MediaRecord record : audio) {
      AudioFrame frame = (AudioFrame) record.getBody();
      assertThat(frame.getSampleRate()).isEqualTo(48_000);
      assertThat(frame.getChannels()).isEqualTo(1);
      ShortBuffer pcm = frame.getSamples().duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
      samples += pcm.remaining();
      while (pcm.hasRemaining()) {
        short s = pcm.get();
        if ((s >= 0) != (previous >= 0)) {
          crossings++;
        }
        previous = s;
      }
    }
    assertThat(samples).isCloseTo(3 * 48_000L, within(2_400L));
    // A tone of f Hz crosses zero 2f times a second.
    assertThat(crossings / 3.0).isCloseTo(2.0 * frequency, within(0.05 * frequency));

    checkTimeline(video, 3_000_000L - 66_667L);
    checkTimeline(audio, 3_000_000L - 21_333L);
    checkWatermarks(mine);
  }

  private static void checkTimeline(List<MediaRecord> media, long expectedLast) {
    assertThat(media.get(0).getTimestampUs()).isLessThan(50_000L);
    for (int i = 1; i < media.size(); i++) {
      assertThat(media.get(i).getTimestampUs()).isGreaterThanOrEqualTo(media.get(i - 1).getTimestampUs());
    }
    assertThat(media.get(media.size() - 1).getTimestampUs()).isCloseTo(expectedLast, within(50_000L));
  }

  /** The contract: after a watermark W, no record of the uid is below W; and they come often. */
  private static void checkWatermarks(List<MediaRecord> mine) {
    long watermark = -1;
    long widestStep = 0;
    for (MediaRecord record : mine) {
      assertThat(record.getTimestampUs()).isGreaterThanOrEqualTo(watermark);
      if (record.getBody() instanceof Watermark) {
        if (watermark >= 0) {
          widestStep = Math.max(widestStep, record.getTimestampUs() - watermark);
        }
        watermark = record.getTimestampUs();
      }
    }
    // FAST runs faster than the wall-clock heartbeat: the watermark follows the media, moving at
    // least every 100 ms of it plus one video frame (a step fires once both kinds have moved 100 ms).
    assertThat(widestStep).isBetween(1L, 200_000L);
    assertThat(watermark).isGreaterThan(2_800_000L);
  }
}
