package io.capstan.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FrameThinningTest {

  @Test
  void aSixtyFpsSourceInAFifteenFpsCompositeKeepsOnlyThePicturesShown() {
    List<Long> source = frames(60, 120, 3_217);
    List<Long> kept = thin(source, 15);
    assertThat(kept).hasSize(31); // the first picture, then one in four
    assertThat(shown(kept, 15, 2)).isEqualTo(shown(source, 15, 2));
  }

  @Test
  void sourcesThatStartOnAnInstantLoseNothingShown() {
    // FAST jobs start every source at 0: a 60 fps camera's pictures fall right on the 15 fps
    // instants, give or take the microsecond of rounding; the one before each is kept too.
    List<Long> source = frames(60, 120, 0);
    List<Long> kept = thin(source, 15);
    assertThat(kept).hasSizeLessThanOrEqualTo(61);
    assertThat(shown(kept, 15, 2)).isEqualTo(shown(source, 15, 2));
  }

  @Test
  void whatTheMixerShowsNeverChangesForCommonRates() {
    for (int sourceFps : new int[] {24, 25, 29, 30, 50, 60, 90}) {
      for (int outputFps : new int[] {10, 15, 24, 30}) {
        for (long joinUs : new long[] {0, 1, 3_217, 16_666}) {
          List<Long> source = frames(sourceFps, sourceFps * 3, joinUs);
          List<Long> kept = thin(source, outputFps);
          assertThat(shown(kept, outputFps, 3)).as(sourceFps + " fps into " + outputFps + " from " + joinUs)
              .isEqualTo(shown(source, outputFps, 3));
        }
      }
    }
  }

  @Test
  void withoutAFrameRateEveryPictureIsKept() {
    List<Long> source = frames(60, 30, 0);
    assertThat(thin(source, 0)).isEqualTo(source);
  }

  /** Pictures at {@code fps} from {@code joinUs} on the job timeline. */
  private static List<Long> frames(int fps, int count, long joinUs) {
    List<Long> ts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ts.add(i * 1_000_000L / fps + joinUs); // the grabber's whole microseconds
    }
    return ts;
  }

  private static List<Long> thin(List<Long> source, int fps) {
    FrameThinning thinning = new FrameThinning(fps);
    return source.stream().filter(thinning::keep).toList();
  }

  /** What the mixer shows at each instant: the latest picture at or before it. */
  private static List<Long> shown(List<Long> pictures, int fps, int seconds) {
    TreeSet<Long> set = new TreeSet<>(pictures);
    List<Long> shown = new ArrayList<>();
    for (long n = 0; n <= (long) fps * seconds - fps; n++) {
      shown.add(set.floor(Math.floorDiv(n * 1_000_000, fps)));
    }
    return shown;
  }
}
