package io.capstan.mixer.layout;

/**
 * Where one uid is drawn on the canvas, in pixels (x, y, width, height even). Regions are drawn in
 * increasing {@code zOrder}; a later region covers an earlier one.
 */
public record Region(String uid, int x, int y, int width, int height, int zOrder, double alpha, RenderMode renderMode) {

  public Region {
    if (x < 0 || y < 0 || width <= 0 || height <= 0) {
      throw new IllegalArgumentException("bad region " + x + "," + y + " " + width + "x" + height);
    }
  }

  public int centreX() {
    return x + width / 2;
  }

  public int centreY() {
    return y + height / 2;
  }
}
