package io.capstan.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityTest {

  private static final long MIB = 1 << 20;

  private static Capacity.Step step(int n, double p99, long late, long rssMib) {
    return new Capacity.Step(n, p99, 10 * n, late, rssMib * MIB, n, 20, true);
  }

  @Test
  void theLastStepBeforeTheFirstFailureIsSustained() {
    Capacity c = new Capacity("x", List.of(step(1, 900, 0, 1000), step(2, 1500, 0, 1100), step(3, 2600, 0, 1200)), 8);

    assertThat(c.sustained()).isEqualTo(2);
    assertThat(c.capped()).isFalse();
    assertThat(c.steps().get(2).verdict()).isEqualTo("p99 > 2 s");
  }

  @Test
  void lateDropsFailAStepWhateverItsLatency() {
    Capacity c = new Capacity("x", List.of(step(1, 900, 0, 1000), step(2, 1000, 3, 1100)), 8);

    assertThat(c.sustained()).isEqualTo(1);
    assertThat(c.steps().get(1).verdict()).isEqualTo("late drops");
  }

  @Test
  void aRampThatReachesTheCapSaysSo() {
    Capacity c = new Capacity("x", List.of(step(1, 900, 0, 1000), step(2, 1000, 0, 1100)), 2);

    assertThat(c.sustained()).isEqualTo(2);
    assertThat(c.capped()).isTrue();
  }

  @Test
  void memoryPerRecordingIsTheSlopeOverSustainedSteps() {
    Capacity c = new Capacity("x", List.of(step(1, 900, 0, 1000), step(2, 900, 0, 1090), step(3, 900, 0, 1210),
        step(4, 2500, 0, 5000)), 8);

    assertThat(c.bytesPerRecording()).isEqualTo(105 * MIB);
    assertThat(new Capacity("x", List.of(step(1, 900, 0, 1000)), 8).bytesPerRecording()).isEqualTo(-1);
  }

  @Test
  void noSliceIsNotSustained() {
    Capacity.Step none = new Capacity.Step(1, Double.NaN, 0, 0, MIB, 1, 20, true);

    assertThat(none.sustained()).isFalse();
    assertThat(none.verdict()).isEqualTo("no slice");
  }
}
