package io.capstan.mixer.layout;

/** How a picture meets a region whose aspect ratio differs from its own. */
public enum RenderMode {
  /** Fill the region, cutting the overflow (render_mode 0, the predefined layouts). */
  CROP,
  /** Show the whole picture, centred, the rest of the region in the background colour (render_mode 1). */
  FIT;

  public static RenderMode of(int renderMode) {
    return renderMode == 1 ? FIT : CROP;
  }
}
