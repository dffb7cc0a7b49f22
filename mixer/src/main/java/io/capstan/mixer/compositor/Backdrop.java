package io.capstan.mixer.compositor;

import io.capstan.mixer.layout.RenderMode;
import java.util.function.Function;

/**
 * What the canvas shows where no video is: the background colour, the background image over it
 * (transcodingConfig backgroundImage, drawn to fill the canvas), and for a region whose uid has no
 * picture, that uid's placeholder (backgroundConfig, or defaultUserBackgroundImage), else the colour.
 *
 * @param image         the canvas image, or null
 * @param placeholderOf a uid's placeholder, or null
 */
public record Backdrop(YuvColor color, SourcePicture image, Function<String, Placeholder> placeholderOf) {

  /** A picture shown for a uid without video, and how it meets the region. */
  public record Placeholder(SourcePicture picture, RenderMode renderMode) {
  }

  public static Backdrop of(YuvColor color) {
    return new Backdrop(color, null, uid -> null);
  }

  Placeholder placeholder(String uid) {
    Placeholder p = placeholderOf == null ? null : placeholderOf.apply(uid);
    return p == null || p.picture() == null || p.picture().empty() ? null : p;
  }
}
