package io.capstan.mixer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.mixer.compositor.YuvColor;
import io.capstan.mixer.handover.HandoverNote;
import io.capstan.mixer.handover.InputHold;
import io.capstan.mixer.handover.ResumePoint;
import io.capstan.mixer.testing.Decoded;
import io.capstan.mixer.testing.Feed;
import io.capstan.mixer.testing.Media;
import io.capstan.runtime.media.Natives;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.EncodedPacket;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.MediaKind;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.Packet;
import io.capstan.schemas.VideoFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job's composite output moves to another mixer in the middle: the first mixer's output, as far
 * as it was handed out, and the second's, from the commit point and note the first would commit,
 * make one stream with every frame and every audio block once, each picture the right one.
 * Done the way the service does it (offsets are the records' indexes), without Kafka.
 */
class TakeOverTest {

  /** veryfast: libx264 keeps frames in its lookahead, which is what a handover must not lose. */
  private static final JobMixer.Options OPTIONS = new JobMixer.Options("veryfast", 1, 500, 500, 90);
  private static final long END_US = 8_000_000;
  private static final long HANDOVER_US = 4_100_000;
  private static final long FRAME_US = 1_000_000 / 15;

  @BeforeAll
  static void natives() {
    Natives.require();
    io.capstan.schemas.serde.AvroTrust.install();
  }

  @Test
  void theNextOwnerGoesOnAtTheFirstFrameAndBlockNotHandedOutAndLosesNothing() {
    List<MediaRecord> records = records();
    JobSpec spec = CompositeOutputTest.spec(320, 180, 2, Layout.newBuilder().build());
    int killedAfter = indexAt(records, HANDOVER_US);

    List<EncodedPacket> out = new ArrayList<>();
    InputHold hold = new InputHold();
    long commit;
    String note;
    try (JobMixer first = new JobMixer(spec, OPTIONS, out::add, false, JobHooks.discard())) {
      for (int i = 0; i <= killedAfter; i++) {
        see(hold, records.get(i), i);
        first.accept(records.get(i), 0);
        first.advance(0);
      }
      long needed = hold.release(first.needs());
      commit = needed < 0 ? killedAfter + 1 : Math.min(killedAfter + 1, needed);
      note = HandoverNote.encode(Map.of("j", first.emitted()));
    }
    assertThat(commit).as("records still inside the jitter buffer and the encoder stay uncommitted")
        .isLessThan(killedAfter + 1);
    ResumePoint point = HandoverNote.decode(note).get("j").get("");
    assertThat(point.videoFrame()).as("frames in libx264's lookahead were not handed out").isLessThan(
        HANDOVER_US / FRAME_US);

    try (JobMixer next = new JobMixer(spec, OPTIONS, out::add, true, point, JobHooks.discard())) {
      for (int i = (int) commit; i < records.size(); i++) {
        next.accept(records.get(i), 0);
        next.advance(0);
      }
      assertThat(next.finished()).isTrue();
    }

    List<Packet> packets = CompositeOutputTest.packets(out);
    List<Decoded.Picture> pictures = Decoded.video(Decoded.of(packets, MediaKind.VIDEO));
    assertThat(pictures).as("every output frame once").hasSize((int) (END_US / FRAME_US));
    for (int n = 0; n < pictures.size(); n++) {
      Decoded.Picture picture = pictures.get(n);
      assertThat(picture.ptsUs()).isEqualTo(n * 1_000_000L / 15);
      assertThat(picture.near(160, 90, gray(n), 4)).as("frame %d shows source frame %d", n, n).isTrue();
    }
    assertContinuousTone(Decoded.audio(Decoded.of(packets, MediaKind.AUDIO)));
  }

  @Test
  void withoutTheHoldAndTheNoteTheFramesInTheEncoderAreLost() {
    List<MediaRecord> records = records();
    JobSpec spec = CompositeOutputTest.spec(320, 180, 2, Layout.newBuilder().build());
    int killedAfter = indexAt(records, HANDOVER_US);
    List<EncodedPacket> out = new ArrayList<>();
    try (JobMixer first = new JobMixer(spec, OPTIONS, out::add, false, JobHooks.discard())) {
      for (int i = 0; i <= killedAfter; i++) {
        first.accept(records.get(i), 0);
        first.advance(0);
      }
    }
    try (JobMixer next = new JobMixer(spec, OPTIONS, out::add, true, JobHooks.discard())) {
      for (int i = killedAfter + 1; i < records.size(); i++) {
        next.accept(records.get(i), 0);
        next.advance(0);
      }
    }
    List<Decoded.Picture> pictures = Decoded.video(Decoded.of(CompositeOutputTest.packets(out), MediaKind.VIDEO));
    assertThat(pictures.size()).as("what the test above guards against").isLessThan((int) (END_US / FRAME_US) - 5);
  }

  /**
   * An individual job shares its partition with a composite whose hold keeps the commit further
   * back than the individual job's own output: the next owner replays records its uids already
   * handed out and must look past them, each uid going on at its own point.
   */
  @Test
  void anIndividualJobsUidsGoOnAtTheirOwnPointsWhenTheCommitIsFurtherBack() {
    Feed feed = new Feed("j");
    for (long n = 0; n * FRAME_US < END_US; n++) {
      feed.add("x", n * 1_000_000L / 15, Media.solid(320, 180, gray(n)));
    }
    CompositeOutputTest.audio(feed, "x", 440, END_US);
    CompositeOutputTest.audio(feed, "y", 660, END_US);
    List<MediaRecord> records = feed.records(END_US);
    JobSpec spec = IndividualJobTest.spec();
    int killedAfter = indexAt(records, HANDOVER_US);
    int commit = indexAt(records, HANDOVER_US - 2_500_000); // another job's hold

    List<EncodedPacket> out = new ArrayList<>();
    String note;
    try (IndividualJob first = new IndividualJob(spec, OPTIONS, out::add, false, JobHooks.discard())) {
      for (int i = 0; i <= killedAfter; i++) {
        first.accept(records.get(i), 0);
        first.advance(0);
      }
      note = HandoverNote.encode(Map.of("j", first.emitted()));
    }
    Map<String, ResumePoint> points = HandoverNote.decode(note).get("j");
    assertThat(points).containsOnlyKeys("x", "y");
    try (IndividualJob next = new IndividualJob(spec, OPTIONS, out::add, true, points, JobHooks.discard())) {
      for (int i = commit; i < records.size(); i++) {
        next.accept(records.get(i), 0);
        next.advance(0);
      }
      assertThat(next.finished()).isTrue();
    }

    List<Packet> x = out.stream().filter(p -> p.getUid().equals("x") && p.getBody() instanceof Packet)
        .map(p -> (Packet) p.getBody()).toList();
    List<Decoded.Picture> pictures = Decoded.video(Decoded.of(x, MediaKind.VIDEO));
    assertThat(pictures).as("every frame of x once").hasSize((int) (END_US / FRAME_US));
    for (int n = 0; n < pictures.size(); n++) {
      assertThat(pictures.get(n).ptsUs()).isEqualTo(n * 1_000_000L / 15);
      assertThat(pictures.get(n).near(160, 90, gray(n), 4)).as("x's frame %d", n).isTrue();
    }
    assertContinuousTone(Decoded.audio(Decoded.of(x, MediaKind.AUDIO)));
    List<Packet> y = out.stream().filter(p -> p.getUid().equals("y") && p.getBody() instanceof Packet)
        .map(p -> (Packet) p.getBody()).toList();
    assertThat(Decoded.of(y, MediaKind.VIDEO)).isEmpty();
    assertContinuousTone(Decoded.audio(y));
  }

  /** Every decoded block follows the previous one exactly and carries the tone. */
  private static void assertContinuousTone(List<Decoded.Block> blocks) {
    long blockUs = 1024 * 1_000_000L / 48_000;
    for (int i = 1; i < blocks.size(); i++) {
      long step = blocks.get(i).ptsUs() - blocks.get(i - 1).ptsUs();
      assertThat(step).as("block %d at %d us follows the previous", i, blocks.get(i).ptsUs())
          .isBetween(blockUs - 1, blockUs + 1);
    }
    assertThat(blocks.get(blocks.size() - 1).ptsUs()).isGreaterThan(END_US - 2 * blockUs);
    for (Decoded.Block block : blocks) {
      if (block.ptsUs() > 200_000 && block.ptsUs() < END_US - 200_000) {
        assertThat(rms(block.samples())).as("the tone at %d us", block.ptsUs()).isGreaterThan(0.08);
      }
    }
  }

  private static double rms(float[] samples) {
    double sum = 0;
    for (float s : samples) {
      sum += s * s;
    }
    return Math.sqrt(sum / samples.length);
  }

  /** One uid: frame n a gray of its own, and a tone, for eight seconds. */
  private static List<MediaRecord> records() {
    Feed feed = new Feed("j");
    for (long n = 0; n * FRAME_US < END_US; n++) {
      feed.add("a", n * 1_000_000L / 15, Media.solid(320, 180, gray(n)));
    }
    CompositeOutputTest.audio(feed, "a", 440, END_US);
    return feed.records(END_US);
  }

  private static YuvColor gray(long frame) {
    int level = (int) (40 + (frame * 9) % 170);
    return YuvColor.ofRgb(level, level, level);
  }

  private static int indexAt(List<MediaRecord> records, long timeUs) {
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).getTimestampUs() >= timeUs) {
        return i;
      }
    }
    throw new IllegalArgumentException("no record at " + timeUs);
  }

  private static void see(InputHold hold, MediaRecord record, long offset) {
    if (record.getBody() instanceof VideoFrame) {
      hold.video(record.getUid(), record.getTimestampUs(), offset);
    } else if (record.getBody() instanceof AudioFrame) {
      hold.audio(record.getUid(), record.getTimestampUs(), offset);
    }
  }
}
