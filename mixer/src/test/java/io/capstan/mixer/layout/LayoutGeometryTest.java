package io.capstan.mixer.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LayoutGeometryTest {

  private static List<String> users(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "u" + i).toList();
  }

  private static Region crop(String uid, int x, int y, int w, int h, int z) {
    return new Region(uid, x, y, w, h, z, 1.0, RenderMode.CROP);
  }

  @Test
  void noUsersNoRegions() {
    for (int layout = 0; layout <= 3; layout++) {
      assertThat(LayoutGeometry.regions(1280, 720, layout, List.of(), null, List.of())).isEmpty();
    }
  }

  @Test
  void floatFirstUserFillsTheCanvasOthersFromBottomLeftInRowsOfFour() {
    List<Region> r = LayoutGeometry.regions(1280, 720, LayoutGeometry.FLOAT, users(6), null, List.of());
    assertThat(r).hasSize(6);
    assertThat(r.get(0)).isEqualTo(crop("u1", 0, 0, 1280, 720, 0));
    // W/5 x H/5 = 256 x 144; gap W/50 = 25.6, H/50 = 14.4; x = W(1+11c)/50, y = H(39-11r)/50, rounded down to even
    assertThat(r.get(1)).isEqualTo(crop("u2", 24, 560, 256, 144, 1));
    assertThat(r.get(2)).isEqualTo(crop("u3", 306, 560, 256, 144, 2));
    assertThat(r.get(3)).isEqualTo(crop("u4", 588, 560, 256, 144, 3));
    assertThat(r.get(4)).isEqualTo(crop("u5", 870, 560, 256, 144, 4));
    assertThat(r.get(5)).isEqualTo(crop("u6", 24, 402, 256, 144, 5));
  }

  @Test
  void floatShowsSeventeenUsersInFourRows() {
    List<Region> r = LayoutGeometry.regions(640, 360, LayoutGeometry.FLOAT, users(20), null, List.of());
    assertThat(r).hasSize(17);
    // 640x360: small 128 x 72; row 3 (top) y = 360*6/50 = 43.2 -> 42; column 3 x = 640*34/50 = 435.2 -> 434
    assertThat(r.get(16)).isEqualTo(crop("u17", 434, 42, 128, 72, 16));
    assertThat(r.get(1)).isEqualTo(crop("u2", 12, 280, 128, 72, 1));
  }

  @Test
  void bestFitGridsWithCentredLastRow() {
    assertThat(LayoutGeometry.regions(1280, 720, 1, users(1), null, List.of()))
        .containsExactly(crop("u1", 0, 0, 1280, 720, 0));
    assertThat(LayoutGeometry.regions(1280, 720, 1, users(2), null, List.of()))
        .containsExactly(crop("u1", 0, 0, 640, 720, 0), crop("u2", 640, 0, 640, 720, 1));
    // 3 users: 2 x 2 grid, the lone user of the last row centred
    assertThat(LayoutGeometry.regions(1280, 720, 1, users(3), null, List.of())).containsExactly(
        crop("u1", 0, 0, 640, 360, 0), crop("u2", 640, 0, 640, 360, 1), crop("u3", 320, 360, 640, 360, 2));
    // 5 users: 3 columns x 2 rows, cells 426 x 360 (1280/3 = 426.67), last row of 2 shifted by half a cell
    assertThat(LayoutGeometry.regions(1280, 720, 1, users(5), null, List.of())).containsExactly(
        crop("u1", 0, 0, 426, 360, 0), crop("u2", 426, 0, 426, 360, 1), crop("u3", 852, 0, 426, 360, 2),
        crop("u4", 212, 360, 426, 360, 3), crop("u5", 640, 360, 426, 360, 4));
    // 17 users: 5 columns x 4 rows at 640x360 (128 x 90), last row of 2 centred
    List<Region> r = LayoutGeometry.regions(640, 360, 1, users(17), null, List.of());
    assertThat(r).hasSize(17);
    assertThat(r.get(14)).isEqualTo(crop("u15", 512, 180, 128, 90, 14));
    assertThat(r.get(15)).isEqualTo(crop("u16", 192, 270, 128, 90, 15));
    assertThat(r.get(16)).isEqualTo(crop("u17", 320, 270, 128, 90, 16));
  }

  @Test
  void verticalLargeUserLeftSmallColumnsRight() {
    // maxResolutionUid u3 is large; the others fill the column at 7W/8 top to bottom
    List<Region> r = LayoutGeometry.regions(1280, 720, 2, users(4), "u3", List.of());
    assertThat(r).containsExactly(crop("u3", 0, 0, 1120, 720, 0), crop("u1", 1120, 0, 160, 90, 1),
        crop("u2", 1120, 90, 160, 90, 2), crop("u4", 1120, 180, 160, 90, 3));
    // 10 users: a second column at 6W/8, the large region narrows to 6W/8; first user large by default
    List<Region> ten = LayoutGeometry.regions(1280, 720, 2, users(10), null, List.of());
    assertThat(ten.get(0)).isEqualTo(crop("u1", 0, 0, 960, 720, 0));
    assertThat(ten.get(8)).isEqualTo(crop("u9", 1120, 630, 160, 90, 8));
    assertThat(ten.get(9)).isEqualTo(crop("u10", 960, 0, 160, 90, 9));
    // alone: the whole canvas
    assertThat(LayoutGeometry.regions(640, 360, 2, users(1), null, List.of()))
        .containsExactly(crop("u1", 0, 0, 640, 360, 0));
    // 640x360: small 80 x 45 -> 80 x 44, rows at y = 45k rounded down to even
    List<Region> small = LayoutGeometry.regions(640, 360, 2, users(3), null, List.of());
    assertThat(small).containsExactly(crop("u1", 0, 0, 560, 360, 0), crop("u2", 560, 0, 80, 44, 1),
        crop("u3", 560, 44, 80, 44, 2));
  }

  @Test
  void customNamedAndUnnamedRegionsInListOrder() {
    List<CustomRegion> custom = List.of(
        new CustomRegion(null, 0, 0, 1, 1, 1, 0),
        new CustomRegion("u2", 0.5, 0.5, 0.25, 0.25, 0.5, 1),
        new CustomRegion("nobody", 0, 0, 0.1, 0.1, 1, 0),
        new CustomRegion(null, 0.333, 0.111, 0.3, 0.3, 1, 0));
    List<Region> r = LayoutGeometry.regions(1280, 720, 3, users(4), null, custom);
    assertThat(r).containsExactly(
        new Region("u1", 0, 0, 1280, 720, 0, 1.0, RenderMode.CROP),
        new Region("u2", 640, 360, 320, 180, 1, 0.5, RenderMode.FIT),
        // 0.333*1280 = 426.2 -> 426; 0.111*720 = 79.9 -> 78; 0.3*1280 = 384; 0.3*720 = 216
        new Region("u3", 426, 78, 384, 216, 3, 1.0, RenderMode.CROP));
  }

  @Test
  void customRegionsAreClippedToTheCanvas() {
    List<Region> r = LayoutGeometry.regions(640, 360, 3, users(1), null,
        List.of(new CustomRegion("u1", 0.9, 0.9, 0.5, 0.5, 1, 0)));
    assertThat(r).containsExactly(new Region("u1", 576, 324, 64, 36, 0, 1.0, RenderMode.CROP));
  }
}
