package io.capstan.mixer.compositor;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avfilter;
import org.bytedeco.javacpp.Loader;

/**
 * Draws translucent regions: the region is first drawn opaque into a scratch picture of its
 * size, then {@link BlendGraph} mixes it over the canvas. Graphs and scratch pictures are kept per
 * size (and alpha) while a layout uses them and freed after a composition that does not.
 */
final class Blender implements AutoCloseable {

  static {
    // runtime's Natives loads the codecs and scalers; the filters are the mixer's own need.
    Loader.load(avfilter.class);
  }

  private record GraphKey(int width, int height, long alphaPerMille) {
  }

  private final Map<GraphKey, BlendGraph> graphs = new HashMap<>();
  private final Map<Long, Canvas> scratches = new HashMap<>();
  private final Set<Object> used = new HashSet<>();

  /** A scratch picture of the region's size to draw the region into before {@link #blend}. */
  Canvas scratch(int width, int height) {
    long key = ((long) width << 32) | height;
    used.add(key);
    Canvas scratch = scratches.computeIfAbsent(key, k -> new Canvas(width, height));
    scratch.makeWritable();
    return scratch;
  }

  /** The alpha as the graph uses it: per mille, so near-equal alphas share a graph. */
  static long perMille(double alpha) {
    return Math.round(Math.max(0, Math.min(1, alpha)) * 1000);
  }

  void blend(Canvas scratch, Canvas canvas, int x, int y, double alpha) {
    GraphKey key = new GraphKey(scratch.width(), scratch.height(), perMille(alpha));
    used.add(key);
    graphs.computeIfAbsent(key, k -> new BlendGraph(k.width(), k.height(), k.alphaPerMille() / 1000.0))
        .blend(scratch, canvas, x, y);
  }

  void sweep() {
    sweep(graphs);
    sweep(scratches);
    used.clear();
  }

  private <K, V extends AutoCloseable> void sweep(Map<K, V> map) {
    for (Iterator<Map.Entry<K, V>> it = map.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<K, V> e = it.next();
      if (!used.contains(e.getKey())) {
        try {
          e.getValue().close();
        } catch (Exception ex) {
          throw new IllegalStateException(ex);
        }
        it.remove();
      }
    }
  }

  @Override
  public void close() {
    used.clear();
    sweep();
  }
}
