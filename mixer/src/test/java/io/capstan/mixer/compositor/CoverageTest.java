package io.capstan.mixer.compositor;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.mixer.layout.Region;
import io.capstan.mixer.layout.RenderMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoverageTest {

  private static Region region(int x, int y, int w, int h) {
    return new Region("u" + x + "-" + y, x, y, w, h, 0, 1, RenderMode.FIT);
  }

  @Test
  void fourTilesCoverTheCanvasAndOneMissingLeavesAHole() {
    List<Region> tiles = List.of(region(0, 0, 640, 360), region(640, 0, 640, 360), region(0, 360, 640, 360),
        region(640, 360, 640, 360));
    assertThat(Coverage.covers(1280, 720, tiles)).isTrue();
    assertThat(Coverage.covers(1280, 720, tiles.subList(0, 3))).isFalse();
  }

  @Test
  void overlappingAndOverhangingRegionsCoverAndAGapOfTwoPixelsDoesNot() {
    assertThat(Coverage.covers(1280, 720, List.of(region(0, 0, 800, 720), region(600, 0, 800, 720)))).isTrue();
    assertThat(Coverage.covers(1280, 720, List.of(region(0, 0, 640, 720), region(642, 0, 638, 720)))).isFalse();
    assertThat(Coverage.covers(640, 360, List.of(region(0, 0, 640, 360)))).isTrue();
    assertThat(Coverage.covers(640, 360, List.of(region(0, 0, 640, 358)))).isFalse();
    assertThat(Coverage.covers(640, 360, List.of())).isFalse();
  }

  @Test
  void aRegionAtAnOddCoordinateDoesNotCountAsCovering() {
    // its chroma is painted from x/2: half a sample to the left of where its luma starts
    assertThat(Coverage.covers(640, 360, List.of(region(0, 0, 322, 360), region(321, 0, 320, 360)))).isFalse();
  }
}
