package io.capstan.mixer.compositor;

import java.util.regex.Pattern;

/** A colour as I420 sample values: BT.601, limited range (Y 16..235, U and V 16..240). */
public record YuvColor(int y, int u, int v) {

  public static final YuvColor BLACK = new YuvColor(16, 128, 128);
  private static final Pattern HEX = Pattern.compile("#?[0-9a-fA-F]{6}");

  public static YuvColor ofRgb(int r, int g, int b) {
    int y = (int) Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255.0);
    int u = (int) Math.round(128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255.0);
    int v = (int) Math.round(128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255.0);
    return new YuvColor(clamp(y), clamp(u), clamp(v));
  }

  /** {@code #RRGGBB} (the reference's backgroundColor); anything else is black. */
  public static YuvColor ofHex(String hex) {
    if (hex == null || !HEX.matcher(hex.trim()).matches()) {
      return BLACK;
    }
    String h = hex.trim().startsWith("#") ? hex.trim().substring(1) : hex.trim();
    int rgb = Integer.parseInt(h, 16);
    return ofRgb((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
  }

  private static int clamp(int value) {
    return Math.max(0, Math.min(255, value));
  }
}
