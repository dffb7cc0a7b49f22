package io.capstan.mixer.compositor;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.capstan.mixer.layout.Region;
import io.capstan.mixer.layout.RenderMode;
import io.capstan.runtime.media.FFmpegException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Composes one output picture: the background colour, then each region's uid picture scaled by
 * swscale straight into the canvas planes (crop: the source is cut to the region's aspect ratio
 * first; fit: scaled to fit, centred, the rest of the region in the background colour). A region
 * whose uid has no picture shows the background colour. No pixel is touched from Java.
 *
 * <p>Not yet: alpha below 1 is drawn opaque; background and per-user images are not drawn.
 */
public final class Compositor implements AutoCloseable {

  private final Canvas canvas;
  /** One scaler per uid; sws_getCachedContext reuses it while sizes stay the same. */
  private final Map<String, SwsContext> scalers = new HashMap<>();
  private final LongPointer srcPlanes = new LongPointer(4);
  private final LongPointer dstPlanes = new LongPointer(4);
  private final IntPointer srcStrides = new IntPointer(4);
  private final IntPointer dstStrides = new IntPointer(4);
  private final PointerPointer<?> srcPlanesArg = new PointerPointer<>(srcPlanes);
  private final PointerPointer<?> dstPlanesArg = new PointerPointer<>(dstPlanes);

  public Compositor(int width, int height) {
    this.canvas = new Canvas(width, height);
  }

  public Canvas canvas() {
    return canvas;
  }

  /**
   * @param pictureOf a uid's current picture, or null (shown as background)
   */
  public Canvas compose(List<Region> regions, Function<String, SourcePicture> pictureOf, YuvColor background) {
    canvas.makeWritable();
    canvas.fill(0, 0, canvas.width(), canvas.height(), background);
    Set<String> drawn = new HashSet<>();
    for (Region region : regions.stream().sorted(Comparator.comparingInt(Region::zOrder)).toList()) {
      Region r = clip(region);
      if (r == null) {
        continue;
      }
      SourcePicture picture = pictureOf.apply(r.uid());
      if (picture == null || picture.empty()) {
        canvas.fill(r.x(), r.y(), r.width(), r.height(), background);
        continue;
      }
      drawn.add(r.uid());
      if (r.renderMode() == RenderMode.FIT) {
        canvas.fill(r.x(), r.y(), r.width(), r.height(), background);
        drawFit(r, picture);
      } else {
        drawCrop(r, picture);
      }
    }
    freeScalersExcept(drawn);
    return canvas;
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

  private void drawCrop(Region r, SourcePicture p) {
    int srcW = p.width() & ~1;
    int srcH = p.height() & ~1;
    int cropW = srcW;
    int cropH = srcH;
    if ((long) srcW * r.height() > (long) r.width() * srcH) {
      cropW = Math.max(2, (int) ((long) srcH * r.width() / r.height()) & ~1);
    } else {
      cropH = Math.max(2, (int) ((long) srcW * r.height() / r.width()) & ~1);
    }
    int x0 = ((srcW - cropW) / 2) & ~1;
    int y0 = ((srcH - cropH) / 2) & ~1;
    scale(r.uid(), p, x0, y0, cropW, cropH, r.x(), r.y(), r.width(), r.height());
  }

  private void drawFit(Region r, SourcePicture p) {
    int srcW = p.width() & ~1;
    int srcH = p.height() & ~1;
    int outW = r.width();
    int outH = r.height();
    if ((long) srcW * r.height() > (long) r.width() * srcH) {
      outH = Math.max(2, (int) ((long) r.width() * srcH / srcW) & ~1);
    } else {
      outW = Math.max(2, (int) ((long) r.height() * srcW / srcH) & ~1);
    }
    int x = r.x() + (((r.width() - outW) / 2) & ~1);
    int y = r.y() + (((r.height() - outH) / 2) & ~1);
    scale(r.uid(), p, 0, 0, srcW, srcH, x, y, outW, outH);
  }

  private void scale(String uid, SourcePicture p, int sx, int sy, int sw, int sh, int dx, int dy, int dw, int dh) {
    SwsContext scaler = sws_getCachedContext(scalers.get(uid), sw, sh, AV_PIX_FMT_YUV420P, dw, dh,
        AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null, (DoublePointer) null);
    if (scaler == null) {
      throw new FFmpegException("sws_getCachedContext returned null for " + sw + "x" + sh + " -> " + dw + "x" + dh);
    }
    scalers.put(uid, scaler);
    for (int plane = 0; plane < 3; plane++) {
      srcPlanes.put(plane, p.address(plane, sx, sy));
      srcStrides.put(plane, p.stride(plane));
      dstPlanes.put(plane, canvas.address(plane, dx, dy));
      dstStrides.put(plane, canvas.linesize(plane));
    }
    srcPlanes.put(3, 0);
    dstPlanes.put(3, 0);
    srcStrides.put(3, 0);
    dstStrides.put(3, 0);
    int rows = sws_scale(scaler, srcPlanesArg, srcStrides, 0, sh, dstPlanesArg, dstStrides);
    if (rows <= 0) {
      throw new FFmpegException("sws_scale", rows);
    }
  }

  private void freeScalersExcept(Set<String> keep) {
    for (Iterator<Map.Entry<String, SwsContext>> it = scalers.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, SwsContext> e = it.next();
      if (!keep.contains(e.getKey())) {
        sws_freeContext(e.getValue());
        it.remove();
      }
    }
  }

  @Override
  public void close() {
    freeScalersExcept(Set.of());
    srcPlanesArg.close();
    dstPlanesArg.close();
    srcPlanes.close();
    dstPlanes.close();
    srcStrides.close();
    dstStrides.close();
    canvas.close();
  }
}
