package io.capstan.mixer.handover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two recordings share a partition; the new owner has opened only one of them when the partition
 * moves again: the commit it makes meanwhile must still say where the other one's output ended,
 * and not move the offset past the input that one still needs.
 */
class InheritedNoteTest {

  private static final long NOW = 1_000_000;

  @Test
  void aJobNotOpenedYetKeepsItsPointAndItsInputAcrossTheNextCommit() {
    InheritedNote note = new InheritedNote(500, HandoverNote.decode(
        HandoverNote.encode(Map.of("mix", Map.of("", new ResumePoint(411, 27_400_000)),
            "ind", Map.of("7", new ResumePoint(200, 13_300_000))))), NOW + 60_000);

    assertThat(note.claim("ind")).containsEntry("7", new ResumePoint(200, 13_300_000));

    // the commit of what this owner mixed (only "ind", now further on, and its input read to 900)
    Map<String, Map<String, ResumePoint>> points = new LinkedHashMap<>();
    points.put("ind", Map.of("7", new ResumePoint(230, 15_300_000)));
    long offset = note.carryOn(points, 900, NOW);

    assertThat(offset).as("not past the input the composite still needs").isEqualTo(500);
    assertThat(HandoverNote.decode(HandoverNote.encode(points)))
        .containsEntry("mix", Map.of("", new ResumePoint(411, 27_400_000)))
        .containsEntry("ind", Map.of("7", new ResumePoint(230, 15_300_000)));
  }

  @Test
  void onceEveryJobIsOpenedOrGoneTheOffsetMovesOn() {
    InheritedNote note = new InheritedNote(500, Map.of("mix", Map.of("", new ResumePoint(411, -1)),
        "ended", Map.of("", new ResumePoint(90, -1))), NOW + 60_000);
    assertThat(note.claim("mix")).containsEntry("", new ResumePoint(411, -1));
    note.forget("ended"); // its records are skipped here: it finished

    Map<String, Map<String, ResumePoint>> points = new LinkedHashMap<>();
    assertThat(note.carryOn(points, 900, NOW)).isEqualTo(900);
    assertThat(points).isEmpty();
  }

  @Test
  void aJobThatNeverSendsAnythingStopsHoldingThePartitionBackAfterTheClaimWindow() {
    InheritedNote note = new InheritedNote(500, Map.of("gone", Map.of("", new ResumePoint(10, -1))), NOW + 60_000);
    Map<String, Map<String, ResumePoint>> points = new LinkedHashMap<>();

    assertThat(note.carryOn(points, 900, NOW + 59_000)).isEqualTo(500);
    points.clear();
    assertThat(note.carryOn(points, 900, NOW + 61_000)).isEqualTo(900);
    assertThat(points).isEmpty();
    assertThat(note.unclaimedCount()).isZero();
  }
}
