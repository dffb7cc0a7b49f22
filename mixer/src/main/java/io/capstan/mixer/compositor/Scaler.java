package io.capstan.mixer.compositor;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.capstan.runtime.media.FFmpegException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * swscale from a rectangle of a {@link SourcePicture} straight into a rectangle of a
 * {@link Canvas}. One scaler per key (a uid, or a placeholder image): sws_getCachedContext reuses
 * it while the sizes stay the same. Scalers not used in a composition are freed after it.
 */
final class Scaler implements AutoCloseable {

  private final Map<String, SwsContext> scalers = new HashMap<>();
  private final Set<String> used = new HashSet<>();
  private final LongPointer srcPlanes = new LongPointer(4);
  private final LongPointer dstPlanes = new LongPointer(4);
  private final IntPointer srcStrides = new IntPointer(4);
  private final IntPointer dstStrides = new IntPointer(4);
  private final PointerPointer<?> srcPlanesArg = new PointerPointer<>(srcPlanes);
  private final PointerPointer<?> dstPlanesArg = new PointerPointer<>(dstPlanes);

  /** Scales source rectangle (sx, sy, sw, sh) onto target rectangle (dx, dy, dw, dh); all even. */
  void scale(String key, SourcePicture p, int sx, int sy, int sw, int sh, Canvas target, int dx, int dy, int dw,
             int dh) {
    SwsContext scaler = sws_getCachedContext(scalers.get(key), sw, sh, AV_PIX_FMT_YUV420P, dw, dh,
        AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null, (DoublePointer) null);
    if (scaler == null) {
      throw new FFmpegException("sws_getCachedContext returned null for " + sw + "x" + sh + " -> " + dw + "x" + dh);
    }
    scalers.put(key, scaler);
    used.add(key);
    for (int plane = 0; plane < 3; plane++) {
      srcPlanes.put(plane, p.address(plane, sx, sy));
      srcStrides.put(plane, p.stride(plane));
      dstPlanes.put(plane, target.address(plane, dx, dy));
      dstStrides.put(plane, target.linesize(plane));
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

  /** After a composition: frees the scalers it did not use (uids gone, images replaced). */
  void sweep() {
    for (Iterator<Map.Entry<String, SwsContext>> it = scalers.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, SwsContext> e = it.next();
      if (!used.contains(e.getKey())) {
        sws_freeContext(e.getValue());
        it.remove();
      }
    }
    used.clear();
  }

  @Override
  public void close() {
    used.clear();
    sweep();
    srcPlanesArg.close();
    dstPlanesArg.close();
    srcPlanes.close();
    dstPlanes.close();
    srcStrides.close();
    dstStrides.close();
  }
}
