package io.capstan.segmenter.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.capstan.schemas.Decryption;
import io.capstan.schemas.Discontinuity;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.EndOfJob;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.FileKind;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Packet;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SnapshotConfig;
import io.capstan.schemas.SnapshotFile;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.StreamMode;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.serde.AvroTrust;
import io.capstan.segmenter.media.Decoded;
import io.capstan.segmenter.media.TestMedia;
import io.capstan.segmenter.mux.TsSlices;
import io.capstan.segmenter.naming.FileNames;
import io.capstan.segmenter.naming.TrackSet;
import io.capstan.segmenter.playlist.MediaPlaylist;
import io.capstan.segmenter.playlist.PlaylistEntry;
import io.capstan.segmenter.playlist.PlaylistParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Individual mode end to end through JobSegmenter with FFmpeg: two uids with audio and video,
 * one of which leaves and comes back. Uid 7 is 320×240 for 12 s; uid 9 is 160×120, there from 0 to
 * 4 s and again from 8 to 12 s.
 */
class IndividualJobTest {

  private static final long T0 = 1_795_000_000_000L;
  private static final String SID = "sid1";
  private static final String CNAME = "room";

  @TempDir
  Path dir;

  @BeforeAll
  static void trustContracts() {
    // Builders fill enum defaults from the schema, which Avro does only for trusted classes.
    AvroTrust.install();
  }

  private record Timed(String uid, long dtsUs, Object body) {
  }

  @Test
  void defaultModeMakesAudioAndVideoPerUidSnapshotsAndContinuesAfterAGap() throws Exception {
    List<Timed> records = new ArrayList<>();
    TestMedia.encode(12, 1).forEach(p -> records.add(new Timed("7", p.getDtsUs(), p)));
    TestMedia.encode(4, 1, 160, 120, 0).forEach(p -> records.add(new Timed("9", p.getDtsUs(), p)));
    // Uid 9 leaves without a word: its media just stops and starts again 4 s later.
    TestMedia.encode(4, 1, 160, 120, 8_000_000).forEach(p -> records.add(new Timed("9", p.getDtsUs(), p)));
    CapturedFiles files = run(spec(StreamMode.DEFAULT, true), records, 12_000_000);

    for (String uid : List.of("7", "9")) {
      for (TrackSet type : List.of(TrackSet.AUDIO, TrackSet.VIDEO)) {
        String playlist = FileNames.individualPlaylist(SID, CNAME, uid, type);
        assertThat(playlist).isEqualTo(SID + "_" + CNAME + "__uid_s_" + uid + "__uid_e_" + type.nameToken() + ".m3u8");
        assertThat(files.names(FileKind.PLAYLIST)).contains(playlist);
        MediaPlaylist parsed = PlaylistParser.parse(files.text(playlist));
        assertThat(parsed.ended()).isTrue();
        for (PlaylistEntry entry : parsed.entries()) {
          assertThat(entry.uri()).startsWith(SID + "_" + CNAME + "__uid_s_" + uid + "__uid_e_" + type.nameToken() + "_")
              .isEqualTo(FileNames.individualSlice(SID, CNAME, uid, type, entry.programDateTimeUtcMs()));
          Decoded d = Decoded.of(files.write(dir, entry.uri()));
          if (type == TrackSet.VIDEO) {
            assertThat(d.firstVideoFrameKey()).as(entry.uri() + " starts with a keyframe").isTrue();
            assertThat(d.audioSamples()).as(entry.uri() + " is video only").isZero();
          } else {
            assertThat(d.videoFrames()).as(entry.uri() + " is audio only").isZero();
            assertThat(d.audioSamples()).as(entry.uri()).isPositive();
          }
        }
      }
    }
    MediaPlaylist seven = PlaylistParser.parse(files.text(FileNames.individualPlaylist(SID, CNAME, "7", TrackSet.VIDEO)));
    assertThat(seven.durationUs() / 1e6).isCloseTo(12.0, within(0.1));
    assertThat(seven.entries()).noneMatch(PlaylistEntry::discontinuity);

    for (TrackSet type : List.of(TrackSet.AUDIO, TrackSet.VIDEO)) {
      String text = files.text(FileNames.individualPlaylist(SID, CNAME, "9", type));
      MediaPlaylist nine = PlaylistParser.parse(text);
      // Audio-only slices cut at the first audio frame (21.3 ms) on or after the boundary.
      List<Long> starts = nine.entries().stream().map(e -> e.programDateTimeUtcMs() - T0).toList();
      assertThat(starts).as(type + " slice starts").hasSize(4);
      long[] expected = {0, 2000, 8000, 10_000};
      for (int i = 0; i < expected.length; i++) {
        assertThat(starts.get(i)).as(type + " slice " + i).isBetween(expected[i], expected[i] + 22);
      }
      assertThat(nine.entries()).extracting(PlaylistEntry::discontinuity).containsExactly(false, false, true, false);
      assertThat(nine.durationUs() / 1e6).as("the gap is in no slice").isCloseTo(8.0, within(0.1));
      assertThat(text.indexOf("#EXT-X-DISCONTINUITY")).isLessThan(text.indexOf(FileNames.utc(T0 + 8000)));
    }

    // Snapshots: every 5 s per uid, at the uid's own size.
    List<String> snapshots = files.names(FileKind.SNAPSHOT);
    assertThat(snapshots).containsExactlyInAnyOrder(
        FileNames.snapshot(SID, CNAME, "7", T0), FileNames.snapshot(SID, CNAME, "7", T0 + 5000),
        FileNames.snapshot(SID, CNAME, "7", T0 + 10_000),
        // 9 is away when its second snapshot falls due (5 s): it gets it when it is back.
        FileNames.snapshot(SID, CNAME, "9", T0), FileNames.snapshot(SID, CNAME, "9", T0 + 8000),
        FileNames.snapshot(SID, CNAME, "9", T0 + 10_000));
    assertThat(snapshots.stream().filter(n -> n.contains("__uid_s_7__")).count()).as("⌈12 s / 5 s⌉")
        .isEqualTo((long) Math.ceil(12 / 5.0));
    for (String name : snapshots) {
      assertThat(name).endsWith(".jpg").contains("__uid_e_video_");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(files.bytes(name)));
      assertThat(image).as(name + " decodes as JPEG").isNotNull();
      boolean seven7 = name.contains("__uid_s_7__");
      assertThat(image.getWidth()).as(name).isEqualTo(seven7 ? 320 : 160);
      assertThat(image.getHeight()).as(name).isEqualTo(seven7 ? 240 : 120);
      int rgb = image.getRGB(image.getWidth() / 2, image.getHeight() / 2);
      assertThat((rgb >> 16) & 0xff).as(name + " red").isGreaterThan(200);
      assertThat((rgb >> 8) & 0xff).as(name + " green").isLessThan(60);
      assertThat(rgb & 0xff).as(name + " blue").isLessThan(60);
    }
    assertThat(files.events.stream().map(e -> e.getDetails()).filter(SnapshotFile.class::isInstance)
        .map(d -> ((SnapshotFile) d).getFileName())).as("one SnapshotFile event per snapshot")
        .containsExactlyInAnyOrderElementsOf(snapshots);
    assertThat(files.chunks.get(files.chunks.size() - 1).getKind()).isEqualTo(FileKind.END_OF_FILES);
  }

  @Test
  void standardModeMakesAudioVideoAndMergedPlaylistsPerUidAndMarksADiscontinuity() throws Exception {
    List<Timed> records = new ArrayList<>();
    TestMedia.encode(8, 1).forEach(p -> records.add(new Timed("7", p.getDtsUs(), p)));
    TestMedia.encode(4, 1, 160, 120, 0).forEach(p -> records.add(new Timed("9", p.getDtsUs(), p)));
    records.add(new Timed("9", 4_000_000, Discontinuity.newBuilder().setReason("uid 9 left").build()));
    TestMedia.encode(2, 1, 160, 120, 6_000_000).forEach(p -> records.add(new Timed("9", p.getDtsUs(), p)));
    CapturedFiles files = run(spec(StreamMode.STANDARD, false), records, 8_000_000);

    // Agora's standard mode: per uid an audio index, a video index and a merged audio-and-video index.
    List<String> expected = new ArrayList<>();
    for (String uid : List.of("7", "9")) {
      for (String type : List.of("audio", "video", "av")) {
        expected.add(SID + "_" + CNAME + "__uid_s_" + uid + "__uid_e_" + type + ".m3u8");
      }
    }
    assertThat(files.names(FileKind.PLAYLIST)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(files.names(FileKind.SNAPSHOT)).as("no snapshot config, no snapshots").isEmpty();
    for (TrackSet type : List.of(TrackSet.AUDIO, TrackSet.VIDEO, TrackSet.AV)) {
      String playlist = FileNames.individualPlaylist(SID, CNAME, "9", type);
      MediaPlaylist nine = PlaylistParser.parse(files.text(playlist));
      assertThat(nine.ended()).as(playlist).isTrue();
      // Audio-only slices cut at the first audio frame (21.3 ms) on or after the boundary.
      List<Long> starts = nine.entries().stream().map(e -> e.programDateTimeUtcMs() - T0).toList();
      assertThat(starts).as(playlist + " slice starts").hasSize(3);
      long[] cuts = {0, 2000, 6000};
      for (int i = 0; i < cuts.length; i++) {
        assertThat(starts.get(i)).as(playlist + " slice " + i).isBetween(cuts[i], cuts[i] + 22);
      }
      assertThat(nine.entries()).extracting(PlaylistEntry::discontinuity).as(playlist).containsExactly(false, false, true);
      for (PlaylistEntry entry : nine.entries()) {
        assertThat(entry.uri()).startsWith(SID + "_" + CNAME + "__uid_s_9__uid_e_" + type.nameToken() + "_")
            .endsWith(".ts");
        Decoded d = Decoded.of(files.write(dir, entry.uri()));
        if (type.hasVideo()) {
          assertThat(d.firstVideoFrameKey()).as(entry.uri() + " starts with a keyframe").isTrue();
          assertThat(d.videoFrames()).as(entry.uri()).isEqualTo(2 * TestMedia.FPS);
        } else {
          assertThat(d.videoFrames()).as(entry.uri() + " is audio only").isZero();
        }
        if (type == TrackSet.VIDEO) {
          assertThat(d.audioSamples()).as(entry.uri() + " is video only").isZero();
        } else {
          assertThat(d.audioSamples() / (double) TestMedia.SAMPLE_RATE).as(entry.uri()).isCloseTo(2.0, within(0.1));
        }
      }
    }
  }

  @Test
  void aSnapshotOnlyJobWritesSnapshotsAndNoPlaylists() throws Exception {
    List<Timed> records = new ArrayList<>();
    TestMedia.encode(6, 1).forEach(p -> records.add(new Timed("7", p.getDtsUs(), p)));
    JobSpec snapshotOnly = JobSpec.newBuilder(spec(StreamMode.DEFAULT, true))
        .setFiles(FileConfig.newBuilder().setSliceSeconds(2).setAvFileType(List.of()).build())
        .setStorage(StorageConfig.newBuilder().setVendor(99).setBucket("b").setFileNamePrefix(List.of("shots", "day1"))
            .build())
        .build();
    CapturedFiles files = run(snapshotOnly, records, 6_000_000);

    assertThat(files.names(FileKind.SNAPSHOT)).containsExactlyInAnyOrder(
        FileNames.snapshot(SID, CNAME, "7", T0), FileNames.snapshot(SID, CNAME, "7", T0 + 5000));
    // recorder_snapshot_file names the file as the store has it: "<fileNamePrefix>/<file name>".
    assertThat(files.events.stream().map(e -> e.getDetails()).filter(SnapshotFile.class::isInstance)
        .map(d -> ((SnapshotFile) d).getFileName())).containsExactlyInAnyOrder(
        "shots/day1/" + FileNames.snapshot(SID, CNAME, "7", T0), "shots/day1/" + FileNames.snapshot(SID, CNAME, "7", T0 + 5000));
    assertThat(files.names(FileKind.PLAYLIST)).as("no recording files were asked for").isEmpty();
    assertThat(files.names(FileKind.SLICE)).isEmpty();
    assertThat(files.chunks.get(files.chunks.size() - 1).getKind()).isEqualTo(FileKind.END_OF_FILES);
  }

  private static CapturedFiles run(JobSpec spec, List<Timed> records, long endUs) {
    // Per uid, audio and video arrive interleaved in dts order, as the mixer sends them.
    records.sort(Comparator.comparingLong(Timed::dtsUs));
    CapturedFiles files = new CapturedFiles();
    try (JobSegmenter job = new JobSegmenter(spec, TsSlices::mux, files, key -> Optional.empty())) {
      long offset = 0;
      for (Timed r : records) {
        job.onRecord(EncodedPacket.newBuilder().setJobId(SID).setUid(r.uid()).setTimestampUs(r.dtsUs())
            .setBody(r.body()).build(), offset++);
      }
      job.onRecord(EncodedPacket.newBuilder().setJobId(SID).setUid("").setTimestampUs(endUs)
          .setBody(EndOfJob.newBuilder().setUtcMs(T0 + endUs / 1000).build()).build(), offset);
      assertThat(job.ended()).isTrue();
    }
    return files;
  }

  private static JobSpec spec(StreamMode mode, boolean snapshots) {
    return JobSpec.newBuilder()
        .setJobId(SID)
        .setChannel(CNAME)
        .setMode(RecordingMode.INDIVIDUAL)
        .setStreamMode(mode)
        .setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().build())
        .setFiles(FileConfig.newBuilder().setSliceSeconds(2).build())
        .setSnapshots(snapshots ? SnapshotConfig.newBuilder().setCaptureIntervalSeconds(5).build() : null)
        .setStartedUtcMs(T0)
        .build();
  }
}
