package io.capstan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.broker.KafkaBroker;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.media.Natives;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.DownloadFailed;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.PostProcessing;
import io.capstan.schemas.PostProcessingKind;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StartCommand;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.VideoFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A post-processing job reads a stored individual recording back: its frames keep the recording's
 * timeline, a uid that left and came back leaves and joins again, the job ends at the session's end,
 * and a slice that is gone is reported (download_failed on the recording) while the rest plays.
 */
class StoredPlaybackIT {

  static final long STARTED = 1_790_000_000_000L;

  @Test
  void aStoredRecordingPlaysOnItsOwnTimelineWithItsGaps(@TempDir Path root) throws Exception {
    String sid = "rec" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Path bucket = Files.createDirectories(root.resolve("b"));
    // uid 7: video at [0.5, 2.5) and [4.5, 6.5), audio likewise; slice 2 of its first stretch is deleted later.
    writeUid(bucket, sid, "7", new double[][] {{0.5, 1.0}, {1.5, 1.0}, {4.5, 2.0}});
    Files.delete(bucket.resolve(sid + "_room__uid_s_7__uid_e_video_" + utc(1.5) + ".ts"));
    String derived = sid + "-pp-7";
    JobSpec spec = JobSpec.newBuilder().setJobId(derived).setChannel("room").setMode(RecordingMode.COMPOSITE)
        .setPacing(Pacing.FAST).setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().build()).setFiles(FileConfig.newBuilder().build())
        .setStartedUtcMs(STARTED)
        .setPostProcessing(PostProcessing.newBuilder().setKind(PostProcessingKind.POSTPONE_TRANSCODING)
            .setSourceJobId(sid).setSourceChannel("room")
            .setSourceStorage(StorageConfig.newBuilder().setVendor(99).setBucket("b").build())
            .setSourceStartedUtcMs(STARTED).setSourceEndUs(7_000_000).setUid("7").setUids(List.of("7")).build())
        .build();
    try (IngestHarness ingest = new IngestHarness(KafkaBroker.bootstrap(), Map.of("uploader.local.root", root.toString()));
         TopicReader<MediaRecord> frames = ingest.reader(Topics.FRAMES, derived);
         TopicReader<RecordingEvent> events = ingest.reader(Topics.EVENTS, sid)) {
      ingest.send(derived, new StartCommand(spec));
      List<MediaRecord> records = frames.until(v -> v.stream().anyMatch(r -> r.getBody() instanceof EndOfJob),
          Duration.ofMinutes(1));
      StringBuilder trace = new StringBuilder();
      List<String> states = new ArrayList<>();
      for (MediaRecord r : records) {
        if (r.getBody() instanceof StreamState s) {
          states.add(s.getState() + "@" + r.getTimestampUs() / 100_000);
          trace.append('\n').append(s.getState()).append(' ').append(r.getTimestampUs());
        } else if (r.getBody() instanceof VideoFrame) {
          trace.append("\nV ").append(r.getTimestampUs());
        }
      }
      // JOINED at 0.5 s, video stops where the deleted slice was ([1.5, 2.5) is gone), LEFT at the end of
      // the first stretch's audio, JOINED again at 4.5 s, LEFT at the end.
      assertThat(states).as(trace.toString()).startsWith("JOINED@4").contains("VIDEO_STOPPED@15", "LEFT@24", "JOINED@44")
          .allSatisfy(s -> assertThat(Long.parseLong(s.substring(s.indexOf('@') + 1))).isLessThan(70));
      List<Long> video = records.stream().filter(r -> r.getBody() instanceof VideoFrame).map(MediaRecord::getTimestampUs)
          .toList();
      assertThat(video).as("video keeps the recording's timestamps").first()
          .satisfies(t -> assertThat(t).isBetween(450_000L, 550_000L));
      assertThat(video).as(trace.toString()).noneMatch(t -> t > 1_600_000 && t < 4_400_000);
      assertThat(video).anyMatch(t -> t > 4_400_000 && t < 4_700_000);
      MediaRecord end = records.get(records.size() - 1);
      assertThat(end.getBody()).isInstanceOf(EndOfJob.class);
      assertThat(end.getTimestampUs()).isEqualTo(7_000_000);
      List<RecordingEvent> failed = events.until(v -> v.stream().anyMatch(e -> e.getDetails() instanceof DownloadFailed),
          Duration.ofSeconds(30));
      DownloadFailed df = failed.stream().map(RecordingEvent::getDetails).filter(DownloadFailed.class::isInstance)
          .map(DownloadFailed.class::cast).findFirst().orElseThrow();
      assertThat(df.getFileName()).isEqualTo(sid + "_room__uid_s_7__uid_e_video_" + utc(1.5) + ".ts");
      assertThat(df.getVendor()).isEqualTo(99);
      assertThat(df.getBucket()).isEqualTo("b");
    }
  }

  /** Writes one uid's audio and video playlists with slices [start, start + length) on the job timeline. */
  static void writeUid(Path dir, String sid, String uid, double[][] slices) throws Exception {
    for (String type : List.of("video", "audio")) {
      StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
          + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:EVENT\n");
      double previousEnd = -1;
      for (double[] s : slices) {
        String name = sid + "_room__uid_s_" + uid + "__uid_e_" + type + "_" + utc(s[0]) + ".ts";
        slice(dir.resolve(name), type, s[0], s[1]);
        if (previousEnd >= 0 && Math.abs(previousEnd - s[0]) > 0.01) {
          playlist.append("#EXT-X-DISCONTINUITY\n");
        }
        playlist.append("#EXT-X-PROGRAM-DATE-TIME:").append(Instant.ofEpochMilli(STARTED + Math.round(s[0] * 1000)))
            .append('\n').append(String.format("#EXTINF:%.3f,%n", s[1])).append(name).append('\n');
        previousEnd = s[0] + s[1];
      }
      playlist.append("#EXT-X-ENDLIST\n");
      Files.writeString(dir.resolve(sid + "_room__uid_s_" + uid + "__uid_e_" + type + ".m3u8"), playlist);
    }
  }

  static String utc(double seconds) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(java.time.ZoneOffset.UTC)
        .format(Instant.ofEpochMilli(STARTED + Math.round(seconds * 1000)));
  }

  /** An MPEG-TS slice whose timestamps start at {@code start} seconds, as the segmenter writes them. */
  static void slice(Path file, String type, double start, double length) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Natives.ffmpegExecutable(), "-v", "error", "-y", "-f", "lavfi", "-i",
        type.equals("video") ? "color=c=blue:size=320x240:rate=15:duration=" + length
            : "sine=frequency=600:sample_rate=48000:duration=" + length));
    cmd.addAll(type.equals("video") ? List.of("-c:v", "libx264", "-g", "15", "-bf", "0") : List.of("-c:a", "aac"));
    cmd.addAll(List.of("-output_ts_offset", String.valueOf(start), "-muxdelay", "0", "-muxpreload", "0",
        "-f", "mpegts", file.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }
}
