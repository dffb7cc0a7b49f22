package io.capstan.mixer.compositor;

import io.capstan.mixer.layout.Region;
import io.capstan.mixer.layout.RenderMode;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Composes one output picture: the background colour and image, then each region in z-order,
 * showing its uid's picture or, without one, the uid's placeholder or the background colour.
 * Pictures are scaled by swscale straight into the canvas planes (crop: the source is cut to the
 * region's aspect ratio first; fit: scaled to fit, centred, the rest of the region in the
 * background colour). A region with alpha below 1 is drawn into a scratch picture and blended by
 * an FFmpeg filter graph ({@link Blender}); alpha 0 is not drawn. No pixel is touched from Java.
 */
public final class Compositor implements AutoCloseable {

  /** Scaler key of the canvas image; uids are never empty, so it cannot clash with one. */
  private static final String BACKGROUND_KEY = "";
  private static final String PLACEHOLDER_PREFIX = "\u0000placeholder:";

  private final Canvas canvas;
  private final Scaler scaler = new Scaler();
  private final Blender blender = new Blender();
  /** The regions of the last composition, and what they come to: the layout changes seldom. */
  private List<Region> drawnFor;
  private List<Region> drawn = List.of();
  private boolean covered;

  public Compositor(int width, int height) {
    this.canvas = new Canvas(width, height);
  }

  public Canvas canvas() {
    return canvas;
  }

  /** @param pictureOf a uid's current picture, or null (shown as background) */
  public Canvas compose(List<Region> regions, Function<String, SourcePicture> pictureOf, YuvColor background) {
    return compose(regions, pictureOf, Backdrop.of(background));
  }

  public Canvas compose(List<Region> regions, Function<String, SourcePicture> pictureOf, Backdrop backdrop) {
    canvas.makeWritable();
    if (!regions.equals(drawnFor)) {
      drawnFor = List.copyOf(regions);
      drawn = regions.stream().sorted(Comparator.comparingInt(Region::zOrder)).map(this::clip)
          .filter(r -> r != null && Blender.perMille(r.alpha()) > 0).toList();
      covered = Coverage.covers(canvas.width(), canvas.height(),
          drawn.stream().filter(r -> Blender.perMille(r.alpha()) >= 1000).toList());
    }
    // Opaque regions that tile the canvas paint every pixel: the backdrop under them would be
    // written and overwritten 15 times a second (a 720p canvas is 1.4 MB).
    if (!covered) {
      if (backdrop.image() != null && !backdrop.image().empty()) {
        draw(canvas, 0, 0, canvas.width(), canvas.height(), BACKGROUND_KEY, backdrop.image(), RenderMode.CROP,
            backdrop.color());
      } else {
        canvas.fill(0, 0, canvas.width(), canvas.height(), backdrop.color());
      }
    }
    for (Region r : drawn) {
      if (Blender.perMille(r.alpha()) >= 1000) {
        drawRegion(canvas, r.x(), r.y(), r, pictureOf, backdrop);
      } else {
        Canvas scratch = blender.scratch(r.width(), r.height());
        drawRegion(scratch, 0, 0, r, pictureOf, backdrop);
        blender.blend(scratch, canvas, r.x(), r.y(), r.alpha());
      }
    }
    scaler.sweep();
    blender.sweep();
    return canvas;
  }

  /** The region's content, opaque, at (x, y) of {@code target}. */
  private void drawRegion(Canvas target, int x, int y, Region r, Function<String, SourcePicture> pictureOf,
                          Backdrop backdrop) {
    SourcePicture picture = pictureOf.apply(r.uid());
    if (picture != null && !picture.empty()) {
      draw(target, x, y, r.width(), r.height(), r.uid(), picture, r.renderMode(), backdrop.color());
      return;
    }
    Backdrop.Placeholder placeholder = backdrop.placeholder(r.uid());
    if (placeholder != null) {
      draw(target, x, y, r.width(), r.height(), PLACEHOLDER_PREFIX + r.uid(), placeholder.picture(),
          placeholder.renderMode(), backdrop.color());
    } else {
      target.fill(x, y, r.width(), r.height(), backdrop.color());
    }
  }

  private Region clip(Region r) {
    int w = Math.min(r.width(), canvas.width() - r.x()) & ~1;
    int h = Math.min(r.height(), canvas.height() - r.y()) & ~1;
    if (w < 2 || h < 2) {
      return null;
    }
    return w == r.width() && h == r.height() ? r
        : new Region(r.uid(), r.x(), r.y(), w, h, r.zOrder(), r.alpha(), r.renderMode());
  }

  private void draw(Canvas target, int x, int y, int w, int h, String key, SourcePicture p, RenderMode mode,
                    YuvColor background) {
    int srcW = p.width() & ~1;
    int srcH = p.height() & ~1;
    boolean wider = (long) srcW * h > (long) w * srcH;
    if (mode == RenderMode.FIT) {
      int outW = wider ? w : Math.max(2, (int) ((long) h * srcW / srcH) & ~1);
      int outH = wider ? Math.max(2, (int) ((long) w * srcH / srcW) & ~1) : h;
      if (outW != w || outH != h) {
        target.fill(x, y, w, h, background); // the bars beside the picture
      }
      scaler.scale(key, p, 0, 0, srcW, srcH, target, x + (((w - outW) / 2) & ~1), y + (((h - outH) / 2) & ~1),
          outW, outH);
    } else {
      int cropW = wider ? Math.max(2, (int) ((long) srcH * w / h) & ~1) : srcW;
      int cropH = wider ? srcH : Math.max(2, (int) ((long) srcW * h / w) & ~1);
      scaler.scale(key, p, ((srcW - cropW) / 2) & ~1, ((srcH - cropH) / 2) & ~1, cropW, cropH, target, x, y, w, h);
    }
  }

  @Override
  public void close() {
    blender.close();
    scaler.close();
    canvas.close();
  }
}
