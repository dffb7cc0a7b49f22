package io.capstan.mixer.handover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandoverNoteTest {

  @Test
  void resumePointsComeBackAsWritten() {
    Map<String, ResumePoint> points = new LinkedHashMap<>();
    points.put("0123abcd", new ResumePoint(49, 3_946_666));
    points.put("audio-only", new ResumePoint(-1, 120_000));
    assertThat(HandoverNote.decode(HandoverNote.encode(points))).isEqualTo(points);
  }

  @Test
  void theNoteStaysUnderTheBrokersMetadataCapAndLeavesOutWhatDoesNotFit() {
    Map<String, ResumePoint> points = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      points.put("job-" + "x".repeat(40) + i, new ResumePoint(1_000_000 + i, 66_666_666_666L));
    }
    String note = HandoverNote.encode(points);
    assertThat(note.length()).isLessThanOrEqualTo(HandoverNote.MAX_CHARS);
    Map<String, ResumePoint> back = HandoverNote.decode(note);
    assertThat(back).isNotEmpty().hasSizeLessThan(200);
    back.forEach((job, point) -> assertThat(points.get(job)).isEqualTo(point));
  }

  @Test
  void idsThatWouldNeedEscapingAndForeignMetadataAreLeftOut() {
    assertThat(HandoverNote.decode(HandoverNote.encode(Map.of("a b/c", new ResumePoint(1, 2))))).isEmpty();
    assertThat(HandoverNote.decode(null)).isEmpty();
    assertThat(HandoverNote.decode("")).isEmpty();
    assertThat(HandoverNote.decode("m1 j/x/2 k/3/4")).containsOnlyKeys("k");
  }
}
