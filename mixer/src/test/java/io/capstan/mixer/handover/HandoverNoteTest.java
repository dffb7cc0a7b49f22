package io.capstan.mixer.handover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandoverNoteTest {

  @Test
  void resumePointsComeBackAsWrittenPerJobAndOutput() {
    Map<String, Map<String, ResumePoint>> points = new LinkedHashMap<>();
    points.put("0123abcd", Map.of("", new ResumePoint(49, 3_946_666)));
    Map<String, ResumePoint> individual = new LinkedHashMap<>();
    individual.put("101", new ResumePoint(-1, 120_000));
    individual.put("102", new ResumePoint(30, -1));
    points.put("individual-job", individual);
    assertThat(HandoverNote.decode(HandoverNote.encode(points))).isEqualTo(points);
  }

  @Test
  void theNoteStaysUnderTheBrokersMetadataCapAndLeavesOutWhatDoesNotFit() {
    Map<String, Map<String, ResumePoint>> points = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      points.put("job-" + "x".repeat(40) + i, Map.of("", new ResumePoint(1_000_000 + i, 66_666_666_666L)));
    }
    String note = HandoverNote.encode(points);
    assertThat(note.length()).isLessThanOrEqualTo(HandoverNote.MAX_CHARS);
    Map<String, Map<String, ResumePoint>> back = HandoverNote.decode(note);
    assertThat(back).isNotEmpty().hasSizeLessThan(200);
    back.forEach((job, outputs) -> assertThat(points.get(job)).isEqualTo(outputs));
  }

  @Test
  void namesThatWouldNeedEscapingAndForeignMetadataAreLeftOut() {
    assertThat(HandoverNote.decode(HandoverNote.encode(Map.of("a b/c", Map.of("", new ResumePoint(1, 2))))))
        .isEmpty();
    assertThat(HandoverNote.decode(HandoverNote.encode(Map.of("j", Map.of("u#1", new ResumePoint(1, 2))))))
        .isEmpty();
    assertThat(HandoverNote.decode(null)).isEmpty();
    assertThat(HandoverNote.decode("")).isEmpty();
    assertThat(HandoverNote.decode("m2 j/x/2 k/3/4")).containsOnlyKeys("k");
  }
}
