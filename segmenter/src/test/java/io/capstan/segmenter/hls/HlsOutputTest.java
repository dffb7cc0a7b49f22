package io.capstan.segmenter.hls;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Packet;
import io.capstan.schemas.TrackConfig;
import io.capstan.segmenter.naming.FileNames;
import io.capstan.segmenter.naming.HlsNames;
import io.capstan.segmenter.naming.TrackSet;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HlsOutputTest {

  private static final long T0 = 1_795_000_000_000L;
  private static final TrackConfig VIDEO = TrackConfig.newBuilder().setCodec("h264").setWidth(16).setHeight(16)
      .setExtradata(ByteBuffer.allocate(0)).build();
  private static final TrackConfig AUDIO = TrackConfig.newBuilder().setCodec("aac").setSampleRate(48_000)
      .setChannels(1).setFrameSize(1024).setExtradata(ByteBuffer.allocate(2)).build();

  private final List<List<Packet>> muxed = new ArrayList<>();
  private final SliceMuxer fake = (v, a, packets) -> {
    muxed.add(List.copyOf(packets));
    return new byte[] {(byte) packets.size()};
  };

  @Test
  void cutsAtTheFirstKeyframeOnEachBoundary() {
    HlsOutput out = new HlsOutput(HlsNames.composite("s", "c"), TrackSet.AV, 2, T0, fake);
    List<Slice> slices = new ArrayList<>();
    long offset = 0;
    // 5 s of 10 fps video with a keyframe every second, and 20 ms audio packets.
    for (long t = 0; t < 5_000_000; t += 20_000) {
      if (t % 100_000 == 0) {
        out.accept(video(t, t % 1_000_000 == 0), offset++).ifPresent(slices::add);
      }
      out.accept(audio(t), offset++).ifPresent(slices::add);
    }
    out.end().ifPresent(slices::add);

    assertThat(slices).extracting(Slice::startUs).containsExactly(0L, 2_000_000L, 4_000_000L);
    assertThat(slices).extracting(Slice::durationUs).containsExactly(2_000_000L, 2_000_000L,
        1_000_000L + 1_000_000L * 1024 / 48_000 - 20_000);
    assertThat(slices).extracting(Slice::fileName).containsExactly("s_c_" + FileNames.utc(T0) + ".ts",
        "s_c_" + FileNames.utc(T0 + 2000) + ".ts", "s_c_" + FileNames.utc(T0 + 4000) + ".ts");
    assertThat(muxed.get(1).get(0).getKind()).isEqualTo(MediaKind.VIDEO);
    assertThat(muxed.get(1).get(0).getKey()).isTrue();
    assertThat(out.playlist().ended()).isTrue();
    assertThat(out.playlist().durationUs()).isEqualTo(slices.stream().mapToLong(Slice::durationUs).sum());
  }

  @Test
  void audioAheadOfADelayedKeyframeOpensTheNextSlice() {
    HlsOutput out = new HlsOutput(HlsNames.composite("s", "c"), TrackSet.AV, 2, T0, fake);
    List<Slice> slices = new ArrayList<>();
    long offset = 0;
    // Like x264 with lookahead: video arrives 500 ms behind the audio of the same time.
    for (long t = 0; t < 4_500_000; t += 20_000) {
      out.accept(audio(t), offset++).ifPresent(slices::add);
      long v = t - 500_000;
      if (v >= 0 && v % 100_000 == 0) {
        out.accept(video(v, v % 2_000_000 == 0), offset++).ifPresent(slices::add);
      }
    }
    out.end().ifPresent(slices::add);

    assertThat(slices).extracting(Slice::startUs).startsWith(0L, 2_000_000L);
    assertThat(muxed.get(0)).as("the first slice keeps only its own audio")
        .filteredOn(p -> p.getKind() == MediaKind.AUDIO).allMatch(p -> p.getPtsUs() < 2_000_000L);
    assertThat(muxed.get(1)).as("the second slice starts its audio on the boundary")
        .filteredOn(p -> p.getKind() == MediaKind.AUDIO).extracting(Packet::getPtsUs).first().isEqualTo(2_000_000L);
  }

  @Test
  void noPacketIsInTwoSlicesWithTheMixersCadence() {
    HlsOutput out = new HlsOutput(HlsNames.composite("s", "c"), TrackSet.AV, 4, T0, fake);
    long offset = 0;
    // AAC: 1024 samples at 48 kHz from the priming packet at -21334 us; H.264 at 15 fps, 0.6 s behind.
    long audioNs = -21_334_000L;
    int frame = 0;
    for (long wallUs = 0; wallUs < 9_000_000; wallUs += 1_000) {
      while (audioNs / 1000 <= wallUs) {
        out.accept(audio(audioNs / 1000), offset++);
        audioNs += 1024L * 1_000_000_000L / 48_000;
      }
      long videoUs = frame * 1_000_000L / 15;
      if (videoUs + 600_000 <= wallUs) {
        out.accept(video(videoUs, frame % 60 == 0), offset++);
        frame++;
      }
    }
    out.end();
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (List<Packet> slice : muxed) {
      for (Packet p : slice) {
        assertThat(seen.add(p.getKind().ordinal() * 1_000_000_000_000L + p.getPtsUs()))
            .as(p.getKind() + " at " + p.getPtsUs() + " us is in one slice only").isTrue();
      }
    }
  }

  @Test
  void audioWaitingForAKeyframeKeepsItsRecordsUncommitted() {
    HlsOutput out = new HlsOutput(HlsNames.composite("s", "c"), TrackSet.AV, 2, T0, fake);
    out.accept(video(0, true), 1);
    out.accept(audio(2_000_000), 2);
    out.accept(video(1_900_000, false), 3);
    out.accept(video(2_000_000, true), 4);
    assertThat(out.pendingOffset()).as("the held audio's record comes first").isEqualTo(2);
  }

  @Test
  void aNewOwnerReplayingFromTheHeldAudioDoesNotOpenItsSliceOnVideoOfTheSliceBefore() {
    // The records as the mixer writes them: video 500 ms behind the audio of the same time, and a
    // keyframe at 1.8 s besides the boundaries' (a mixer took the job over there): it comes after
    // audio of the next slice, held for the keyframe at 2 s.
    List<Packet> records = new ArrayList<>();
    for (long t = 0; t < 6_500_000; t += 20_000) {
      records.add(audio(t));
      long v = t - 500_000;
      if (v >= 0 && v % 100_000 == 0) {
        records.add(video(v, v % 2_000_000 == 0 || v == 1_800_000));
      }
    }
    HlsOutput first = new HlsOutput(HlsNames.composite("s", "c"), TrackSet.AV, 2, T0, fake);
    List<Slice> slices = new ArrayList<>();
    int killedAt = -1;
    for (int offset = 0; offset < records.size() && slices.isEmpty(); offset++) {
      first.accept(records.get(offset), offset).ifPresent(slices::add);
      killedAt = offset + 1; // it dies right after the cut at 2 s
    }
    assertThat(slices).extracting(Slice::startUs).containsExactly(0L);
    int resumeFrom = (int) first.pendingOffset();
    assertThat(records.subList(resumeFrom, killedAt)).as("the replay starts before the keyframe at 1.8 s")
        .anyMatch(p -> p.getKind() == MediaKind.VIDEO && p.getKey() && p.getPtsUs() == 1_800_000L);

    HlsOutput next = new HlsOutput(HlsNames.composite("s", "c"), TrackSet.AV, 2, T0, fake, first.playlist(), false,
        SegmentType.MPEGTS, first.videoOutBelow());
    for (int offset = resumeFrom; offset < records.size(); offset++) {
      next.accept(records.get(offset), offset).ifPresent(slices::add);
    }
    next.end().ifPresent(slices::add);

    assertThat(slices).extracting(Slice::startUs).containsExactly(0L, 2_000_000L, 4_000_000L);
    java.util.Set<Long> videoSeen = new java.util.HashSet<>();
    for (List<Packet> slice : muxed) {
      slice.stream().filter(p -> p.getKind() == MediaKind.VIDEO).forEach(p ->
          assertThat(videoSeen.add(p.getPtsUs())).as("video at " + p.getPtsUs() + " us in one slice only").isTrue());
    }
  }

  @Test
  void audioCutsWhenNoKeyframeComesForAWholeSlice() {
    HlsOutput out = new HlsOutput(HlsNames.composite("s", "c"), TrackSet.AV, 2, T0, fake);
    List<Slice> slices = new ArrayList<>();
    out.accept(video(0, true), 0);
    long offset = 1;
    for (long t = 0; t < 6_000_000; t += 20_000) {
      out.accept(audio(t), offset++).ifPresent(slices::add);
    }
    assertThat(slices).as("video stopped after 0 s; audio still makes slices").isNotEmpty();
    assertThat(slices.get(0).startUs()).isZero();
  }

  @Test
  void pendingOffsetIsTheFirstRecordOfTheSliceInProgress() {
    HlsOutput out = new HlsOutput(HlsNames.composite("s", "c"), TrackSet.AV, 2, T0, fake);
    assertThat(out.pendingOffset()).isEqualTo(-1);
    out.accept(video(0, true), 10);
    out.accept(video(1_000_000, false), 11);
    assertThat(out.pendingOffset()).isEqualTo(10);
    Optional<Slice> cut = out.accept(video(2_000_000, true), 12);
    assertThat(cut).isPresent();
    assertThat(out.pendingOffset()).isEqualTo(12);
  }

  @Test
  void dropsVideoBeforeTheFirstKeyframeAndMarksDiscontinuity() {
    HlsOutput out = new HlsOutput(HlsNames.composite("s", "c"), TrackSet.VIDEO, 2, T0, fake);
    out.accept(video(0, false), 0);
    assertThat(out.pendingOffset()).as("a non-key start is dropped").isEqualTo(-1);
    out.accept(video(100_000, true), 1);
    out.accept(video(200_000, false), 2);
    Optional<Slice> before = out.breakHere();
    assertThat(before).isPresent();
    assertThat(before.get().durationUs()).as("last pts plus the frame step").isEqualTo(200_000L);
    out.accept(video(900_000, true), 3);
    Slice after = out.end().orElseThrow();
    assertThat(after.discontinuity()).isTrue();
    assertThat(out.playlist().render()).contains("#EXT-X-DISCONTINUITY");
  }

  @Test
  void aSliceEndedByAGapIsMuxedWithItsOwnConfigNotTheOneAfterTheGap() {
    List<TrackConfig> configs = new ArrayList<>();
    HlsOutput out = new HlsOutput(HlsNames.composite("s", "c"), TrackSet.VIDEO, 2, T0, (v, a, packets) -> {
      configs.add(v);
      return new byte[1];
    });
    out.accept(video(0, true), 0);
    out.accept(video(100_000, false), 1);
    // The uid came back with a new encoder: its first keyframe carries other parameter sets.
    TrackConfig rejoined = TrackConfig.newBuilder(VIDEO).setExtradata(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 0x67}))
        .build();
    Packet after = Packet.newBuilder(video(5_000_000, true)).setConfig(rejoined).build();
    Slice before = out.accept(after, 2).orElseThrow();
    Slice next = out.end().orElseThrow();

    assertThat(before.startUs()).isZero();
    assertThat(next.discontinuity()).isTrue();
    assertThat(configs).containsExactly(VIDEO, rejoined);
  }

  @Test
  void audioOnlyCutsOnTime() {
    HlsOutput out = new HlsOutput(HlsNames.individual("s", "c", "7", TrackSet.AUDIO), TrackSet.AUDIO, 2, T0, fake);
    List<Slice> slices = new ArrayList<>();
    for (long t = 0; t < 3_000_000; t += 21_333) {
      out.accept(audio(t), t).ifPresent(slices::add);
    }
    assertThat(slices).hasSize(1);
    assertThat(slices.get(0).durationUs()).isEqualTo(2_005_302L);
  }

  private static Packet video(long t, boolean key) {
    return Packet.newBuilder().setKind(MediaKind.VIDEO).setPtsUs(t).setDtsUs(t).setKey(key)
        .setConfig(key ? VIDEO : null).setData(ByteBuffer.allocate(1)).build();
  }

  private static Packet audio(long t) {
    return Packet.newBuilder().setKind(MediaKind.AUDIO).setPtsUs(t).setDtsUs(t).setKey(true).setConfig(AUDIO)
        .setData(ByteBuffer.allocate(1)).build();
  }
}
