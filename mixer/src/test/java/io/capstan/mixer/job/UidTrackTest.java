package io.capstan.mixer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.mixer.compositor.YuvColor;
import io.capstan.mixer.testing.Media;
import org.junit.jupiter.api.Test;

class UidTrackTest {

  @Test
  void aPictureThatComesAfterALaterOneStillShowsAtItsTime() {
    // Across an ingest handover the previous writer's last picture can come after the next writer's first.
    try (UidTrack track = new UidTrack("7", 0, 90)) {
      track.video(0, Media.solid(16, 16, YuvColor.BLACK));
      track.video(200_000, Media.solid(48, 48, YuvColor.BLACK));
      track.video(100_000, Media.solid(32, 32, YuvColor.BLACK));

      assertThat(track.pictureAt(150_000).width()).as("the picture of 100 ms").isEqualTo(32);
      assertThat(track.pictureAt(250_000).width()).as("the picture of 200 ms").isEqualTo(48);
    }
  }
}
