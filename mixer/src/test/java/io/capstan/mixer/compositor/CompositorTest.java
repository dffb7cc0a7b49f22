package io.capstan.mixer.compositor;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.mixer.layout.CustomRegion;
import io.capstan.mixer.layout.LayoutGeometry;
import io.capstan.mixer.layout.Region;
import io.capstan.mixer.layout.RenderMode;
import io.capstan.runtime.media.Natives;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CompositorTest {

  static final YuvColor RED = YuvColor.ofRgb(255, 0, 0);
  static final YuvColor GREEN = YuvColor.ofRgb(0, 255, 0);
  static final YuvColor BLUE = YuvColor.ofRgb(0, 0, 255);
  static final YuvColor WHITE = YuvColor.ofRgb(255, 255, 255);
  static final YuvColor BACKGROUND = YuvColor.ofHex("#808000");

  private final Map<String, SourcePicture> pictures = new HashMap<>();

  @BeforeAll
  static void natives() {
    Natives.require();
  }

  @AfterEach
  void free() {
    pictures.values().forEach(SourcePicture::close);
  }

  /** A solid I420 frame with padded strides, as ingest may send it. */
  static ByteBuffer solid(int w, int h, int strideY, int strideC, YuvColor c) {
    ByteBuffer b = ByteBuffer.allocate(strideY * h + 2 * strideC * (h / 2));
    for (int i = 0; i < strideY * h; i++) {
      b.put((byte) c.y());
    }
    for (int i = 0; i < strideC * (h / 2); i++) {
      b.put((byte) c.u());
    }
    for (int i = 0; i < strideC * (h / 2); i++) {
      b.put((byte) c.v());
    }
    return b.flip();
  }

  private void picture(String uid, int w, int h, YuvColor c) {
    SourcePicture p = new SourcePicture();
    p.update(w, h, new int[] {w + 32, w / 2 + 16, w / 2 + 16}, solid(w, h, w + 32, w / 2 + 16, c));
    pictures.put(uid, p);
  }

  /** a to d: red, green, blue, white, 640x360 each (see {@link #colorOf}). */
  private void fourPictures() {
    for (String uid : List.of("a", "b", "c", "d")) {
      picture(uid, 640, 360, colorOf(uid));
    }
  }

  private static void assertColor(Canvas canvas, int x, int y, YuvColor expected) {
    YuvColor actual = canvas.colorAt(x, y);
    assertThat(Math.abs(actual.y() - expected.y())).as("Y at %d,%d: %s vs %s", x, y, actual, expected).isLessThanOrEqualTo(2);
    assertThat(Math.abs(actual.u() - expected.u())).as("U at %d,%d: %s vs %s", x, y, actual, expected).isLessThanOrEqualTo(2);
    assertThat(Math.abs(actual.v() - expected.v())).as("V at %d,%d: %s vs %s", x, y, actual, expected).isLessThanOrEqualTo(2);
  }

  @Test
  void backgroundColourIsBt601LimitedRange() {
    assertThat(YuvColor.ofHex("#000000")).isEqualTo(new YuvColor(16, 128, 128));
    assertThat(YuvColor.ofHex("#FFFFFF")).isEqualTo(new YuvColor(235, 128, 128));
    assertThat(YuvColor.ofHex("#ff0000")).isEqualTo(new YuvColor(81, 90, 240));
    assertThat(YuvColor.ofHex("not a colour")).isEqualTo(YuvColor.BLACK);
  }

  @Test
  void bestFitOfThreeAt720pWithCentredLastRowAndBackgroundBeside() {
    picture("a", 640, 360, RED);
    picture("b", 320, 240, GREEN);
    picture("c", 1280, 720, BLUE);
    List<Region> regions = LayoutGeometry.regions(1280, 720, LayoutGeometry.BEST_FIT, List.of("a", "b", "c"), null,
        List.of());
    try (Compositor compositor = new Compositor(1280, 720)) {
      Canvas canvas = compositor.compose(regions, pictures::get, BACKGROUND);
      assertColor(canvas, 320, 180, RED);
      assertColor(canvas, 960, 180, GREEN);
      assertColor(canvas, 640, 540, BLUE);
      // the last row's single cell is centred: its sides show the background
      assertColor(canvas, 100, 600, BACKGROUND);
      assertColor(canvas, 1200, 600, BACKGROUND);
      // a second composition after a picture changed
      picture("a", 640, 360, WHITE);
      compositor.compose(regions, pictures::get, BACKGROUND);
      assertColor(canvas, 320, 180, WHITE);
    }
  }

  @Test
  void bestFitOfFourAt360p() {
    fourPictures();
    List<Region> regions = LayoutGeometry.regions(640, 360, LayoutGeometry.BEST_FIT, List.of("a", "b", "c", "d"),
        null, List.of());
    try (Compositor compositor = new Compositor(640, 360)) {
      Canvas canvas = compositor.compose(regions, pictures::get, BACKGROUND);
      for (Region r : regions) {
        assertColor(canvas, r.centreX(), r.centreY(), colorOf(r.uid()));
      }
    }
  }

  @Test
  void floatAt720pAndAt360pSmallRegionsOnTopOfTheFirstUser() {
    picture("a", 640, 360, RED);
    picture("b", 320, 180, GREEN);
    // "c" joined but sends no video: its region shows the background
    for (int[] size : new int[][] {{1280, 720}, {640, 360}}) {
      List<Region> regions = LayoutGeometry.regions(size[0], size[1], LayoutGeometry.FLOAT, List.of("a", "b", "c"),
          null, List.of());
      try (Compositor compositor = new Compositor(size[0], size[1])) {
        Canvas canvas = compositor.compose(regions, pictures::get, BACKGROUND);
        assertColor(canvas, size[0] / 2, size[1] / 4, RED);
        assertColor(canvas, regions.get(1).centreX(), regions.get(1).centreY(), GREEN);
        assertColor(canvas, regions.get(2).centreX(), regions.get(2).centreY(), BACKGROUND);
        // between the small regions: the first user
        assertColor(canvas, regions.get(1).x() + regions.get(1).width() + 2, regions.get(1).centreY(), RED);
      }
    }
  }

  @Test
  void noUsersShowsOnlyTheBackground() {
    try (Compositor compositor = new Compositor(640, 360)) {
      Canvas canvas = compositor.compose(List.of(), pictures::get, BACKGROUND);
      assertColor(canvas, 0, 0, BACKGROUND);
      assertColor(canvas, 639, 359, BACKGROUND);
    }
  }

  @Test
  void fitLetterboxesAndCropFillsTheRegion() {
    // a 4:3 picture in two 16:9 half-canvas regions: fit leaves bars at the sides, crop fills
    picture("a", 320, 240, RED);
    picture("b", 320, 240, GREEN);
    List<Region> regions = LayoutGeometry.regions(1280, 720, LayoutGeometry.CUSTOM, List.of("a", "b"), null,
        List.of(new CustomRegion("a", 0, 0, 0.5, 0.5, 1, 1), new CustomRegion("b", 0.5, 0.5, 0.5, 0.5, 1, 0)));
    try (Compositor compositor = new Compositor(1280, 720)) {
      Canvas canvas = compositor.compose(regions, pictures::get, BACKGROUND);
      // fit: 640x360 region, picture 480x360 centred at x 80..560
      assertColor(canvas, 320, 180, RED);
      assertColor(canvas, 40, 180, BACKGROUND);
      assertColor(canvas, 600, 180, BACKGROUND);
      // crop: the whole 640x360 region is green
      assertColor(canvas, 644, 364, GREEN);
      assertColor(canvas, 1276, 716, GREEN);
      assertColor(canvas, 960, 540, GREEN);
    }
  }

  @Test
  void halfTransparentRedOverBlueBackgroundGivesTheBlendAtTheRegionCentre() {
    picture("a", 320, 180, RED);
    picture("b", 320, 180, GREEN);
    // a: translucent over the background; b: opaque below, a second translucent copy of a over it
    List<Region> regions = LayoutGeometry.regions(640, 360, LayoutGeometry.CUSTOM, List.of("a", "b"), null,
        List.of(new CustomRegion("a", 0, 0, 0.5, 0.5, 0.5, 0), new CustomRegion("b", 0.5, 0.5, 0.5, 0.5, 1, 0),
            new CustomRegion("a", 0.75, 0.5, 0.25, 0.5, 0.25, 0)));
    try (Compositor compositor = new Compositor(640, 360)) {
      for (int round = 0; round < 3; round++) {
        Canvas canvas = compositor.compose(regions, pictures::get, BLUE);
        assertColor(canvas, 160, 90, mix(RED, BLUE, 0.5));
        assertColor(canvas, 2, 2, mix(RED, BLUE, 0.5));
        assertColor(canvas, 318, 178, mix(RED, BLUE, 0.5));
        // outside the translucent region the background is untouched
        assertColor(canvas, 322, 90, BLUE);
        assertColor(canvas, 160, 182, BLUE);
        assertColor(canvas, 400, 270, GREEN);
        assertColor(canvas, 560, 270, mix(RED, GREEN, 0.25));
      }
    }
  }

  @Test
  void alphaZeroIsNotDrawn() {
    picture("a", 320, 180, RED);
    List<Region> regions = LayoutGeometry.regions(640, 360, LayoutGeometry.CUSTOM, List.of("a"), null,
        List.of(new CustomRegion("a", 0, 0, 1, 1, 0, 0)));
    try (Compositor compositor = new Compositor(640, 360)) {
      assertColor(compositor.compose(regions, pictures::get, BLUE), 320, 180, BLUE);
    }
  }

  @Test
  void aUidWithoutVideoShowsItsPlaceholderAndTheCanvasShowsTheBackgroundImage() {
    picture("a", 320, 180, RED);
    picture("image", 64, 48, WHITE);
    picture("avatar", 40, 40, GREEN);
    List<Region> regions = LayoutGeometry.regions(640, 360, LayoutGeometry.CUSTOM, List.of("a", "b", "c"), null,
        List.of(new CustomRegion("a", 0, 0, 0.25, 0.25, 1, 0), new CustomRegion("b", 0.5, 0, 0.25, 0.25, 1, 0),
            new CustomRegion("c", 0, 0.5, 0.25, 0.25, 1, 1)));
    Backdrop backdrop = new Backdrop(BLUE, pictures.get("image"),
        uid -> uid.equals("b") ? new Backdrop.Placeholder(pictures.get("avatar"), RenderMode.CROP) : null);
    try (Compositor compositor = new Compositor(640, 360)) {
      Canvas canvas = compositor.compose(regions, pictures::get, backdrop);
      assertColor(canvas, 80, 45, RED);
      assertColor(canvas, 400, 45, GREEN);
      // c has neither video nor placeholder: the colour, over the image
      assertColor(canvas, 80, 225, BLUE);
      assertColor(canvas, 500, 300, WHITE);
    }
  }

  @Test
  void tilesThatCoverTheCanvasLeaveNothingOfTheFrameBeforeAndTheBackgroundComesBackWithAGap() {
    fourPictures();
    List<Region> three = LayoutGeometry.regions(1280, 720, LayoutGeometry.BEST_FIT, List.of("a", "b", "c"), null,
        List.of());
    List<Region> four = LayoutGeometry.regions(1280, 720, LayoutGeometry.BEST_FIT, List.of("a", "b", "c", "d"),
        null, List.of());
    try (Compositor compositor = new Compositor(1280, 720)) {
      Canvas canvas = compositor.compose(three, pictures::get, BACKGROUND);
      assertColor(canvas, 100, 600, BACKGROUND);
      // four tiles paint every pixel: no backdrop under them, and nothing left of the frame before
      compositor.compose(four, pictures::get, BACKGROUND);
      for (int[] at : new int[][] {{0, 0}, {639, 359}, {640, 0}, {1279, 359}, {0, 360}, {100, 600}, {639, 719},
          {640, 360}, {1279, 719}}) {
        String uid = at[0] < 640 ? (at[1] < 360 ? "a" : "c") : (at[1] < 360 ? "b" : "d");
        assertColor(canvas, at[0], at[1], colorOf(uid));
      }
      // back to three: the cell the fourth took shows the background again
      compositor.compose(three, pictures::get, BACKGROUND);
      assertColor(canvas, 100, 600, BACKGROUND);
      assertColor(canvas, 1200, 600, BACKGROUND);
      assertColor(canvas, 320, 180, RED);
    }
  }

  static YuvColor mix(YuvColor top, YuvColor bottom, double alpha) {
    return new YuvColor((int) Math.round(top.y() * alpha + bottom.y() * (1 - alpha)),
        (int) Math.round(top.u() * alpha + bottom.u() * (1 - alpha)),
        (int) Math.round(top.v() * alpha + bottom.v() * (1 - alpha)));
  }

  private static YuvColor colorOf(String uid) {
    return switch (uid) {
      case "a" -> RED;
      case "b" -> GREEN;
      case "c" -> BLUE;
      default -> WHITE;
    };
  }
}
