package io.capstan.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecordedTimeTest {

  private static final long T0 = 1_700_000_000_000_000L;

  @Test
  void theRecordingStartsAtTheFirstPictureAndLeavesHoldsOut() {
    RecordedTime time = new RecordedTime(0, false);
    assertThat(time.jobUs(T0)).as("before the first picture").isEqualTo(-1);
    assertThat(time.soundPart(T0 - 50_000, 20_000)).isNull();
    time.firstPicture(T0);
    assertThat(time.jobUs(T0)).isZero();
    assertThat(time.jobUs(T0 + 4_000_000)).isEqualTo(4_000_000);
    // Sound that started before the first picture is cut at it.
    assertThat(time.soundPart(T0 - 10_000, 21_000)).containsExactly(10_000, 0, 11_000);

    assertThat(time.hold(T0 + 5_000_000)).isTrue();
    assertThat(time.hold(T0 + 5_100_000)).isFalse();
    assertThat(time.jobUs(T0 + 6_000_000)).as("on hold").isEqualTo(-1);
    // A picture taken before the hold but delivered after it is still placed.
    assertThat(time.jobUs(T0 + 4_990_000)).isEqualTo(4_990_000);
    // Sound running into the hold is cut at it.
    assertThat(time.soundPart(T0 + 4_990_000, 21_000)).containsExactly(0, 4_990_000, 10_000);

    assertThat(time.resume(T0 + 9_000_000)).isTrue();
    assertThat(time.jobUs(T0 + 9_000_000)).isEqualTo(5_000_000);
    assertThat(time.jobUs(T0 + 12_000_000)).isEqualTo(8_000_000);
    assertThat(time.jobUs(T0 + 7_000_000)).as("still on hold then").isEqualTo(-1);
    assertThat(time.soundPart(T0 + 8_990_000, 21_000)).containsExactly(10_000, 5_000_000, 11_000);
  }

  @Test
  void aRecordingStartedOnHoldBeginsAtItsFirstResume() {
    RecordedTime time = new RecordedTime(0, true);
    time.firstPicture(T0);
    assertThat(time.jobUs(T0 + 1_000_000)).isEqualTo(-1);
    assertThat(time.resume(T0 + 3_000_000)).isTrue();
    assertThat(time.jobUs(T0 + 3_500_000)).isEqualTo(500_000);
  }

  @Test
  void aResumedJobContinuesWhereItsTimelineWas() {
    RecordedTime time = new RecordedTime(42_000_000, false);
    time.firstPicture(T0);
    assertThat(time.jobUs(T0 + 1)).isEqualTo(42_000_001);
  }

  @Test
  void unsafeCnameCharactersBecomeDashes() {
    assertThat(WebFileNames.safeCname("room 1/ä:x")).isEqualTo("room-1---x");
    assertThat(WebFileNames.playlist("sid1", "a.b_c-d")).isEqualTo("sid1_a.b_c-d.m3u8");
  }
}
