package io.capstan.mixer.handover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InputHoldTest {

  @Test
  void keepsThePictureOnScreenAtTheResumePointAndEverythingAfterIt() {
    InputHold hold = new InputHold();
    for (int n = 0; n < 30; n++) {
      hold.video("a", n * 100_000L, n * 2L);
      hold.audio("a", n * 100_000L, n * 2L + 1);
    }
    // video from 1.05 s: the frame of 1.0 s (offset 20) is on screen then; audio from 1.2 s (offset 25)
    assertThat(hold.release(new InputNeeds(1_050_000, 1_200_000))).isEqualTo(20);
    assertThat(hold.release(new InputNeeds(2_000_000, 1_900_000))).isEqualTo(39); // audio of 1.9 s
  }

  @Test
  void beforeTheOutputStartsEverythingIsHeldAndAfterItEndsNothing() {
    InputHold hold = new InputHold();
    hold.video("a", 0, 7);
    hold.audio("b", 500_000, 9);
    assertThat(hold.release(InputNeeds.ALL)).isEqualTo(7);
    assertThat(hold.release(InputNeeds.NONE)).isEqualTo(-1);
  }

  @Test
  void aLonePictureLongBeforeTheResumePointIsNotReplayed() {
    InputHold hold = new InputHold();
    hold.video("still", 0, 3);
    assertThat(hold.release(new InputNeeds(5_000_000, Long.MAX_VALUE))).isEqualTo(3);
    assertThat(hold.release(new InputNeeds(InputHold.MAX_PICTURE_AGE_US + 1, Long.MAX_VALUE))).isEqualTo(-1);
  }
}
