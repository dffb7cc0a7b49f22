package io.capstan.webrtc;

/** Where a picture goes when it must fit a box: plain arithmetic, tested without libwebrtc. */
final class Scaling {

  private Scaling() {
  }

  /**
   * The largest size with the picture's shape that fits {@code max}, both sides even (I420 chroma
   * is subsampled by two) and at least 2; the picture's own size when it fits or {@code max} is null.
   */
  static Size fit(int width, int height, Size max) {
    if (max == null || (width <= max.width() && height <= max.height())) {
      return new Size(width, height);
    }
    double scale = Math.min((double) max.width() / width, (double) max.height() / height);
    int w = Math.max(2, (int) Math.floor(width * scale) & ~1);
    int h = Math.max(2, (int) Math.floor(height * scale) & ~1);
    return new Size(w, h);
  }
}
