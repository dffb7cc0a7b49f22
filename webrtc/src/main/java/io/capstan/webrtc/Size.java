package io.capstan.webrtc;

/** A picture size in pixels. */
public record Size(int width, int height) {

  public Size {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("a size needs a positive width and height, got " + width + "x" + height);
    }
  }
}
