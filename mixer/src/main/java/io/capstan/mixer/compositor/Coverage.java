package io.capstan.mixer.compositor;

import io.capstan.mixer.layout.Region;
import java.util.List;
import java.util.TreeSet;

/**
 * Whether opaque regions together paint every pixel of a canvas, chroma included. The canvas is
 * cut into cells along every region edge; each cell must lie inside one region. Only regions on
 * even coordinates count: a region at an odd x or y paints its chroma half a sample aside.
 */
final class Coverage {

  private Coverage() {
  }

  static boolean covers(int width, int height, List<Region> opaque) {
    List<Region> even = opaque.stream()
        .filter(r -> r.x() % 2 == 0 && r.y() % 2 == 0 && r.width() % 2 == 0 && r.height() % 2 == 0)
        .toList();
    if (even.isEmpty()) {
      return false;
    }
    int[] xs = edges(width, even, true);
    int[] ys = edges(height, even, false);
    for (int i = 0; i + 1 < xs.length; i++) {
      for (int j = 0; j + 1 < ys.length; j++) {
        if (!inside(xs[i], ys[j], xs[i + 1], ys[j + 1], even)) {
          return false;
        }
      }
    }
    return true;
  }

  private static int[] edges(int size, List<Region> regions, boolean horizontal) {
    TreeSet<Integer> edges = new TreeSet<>(List.of(0, size));
    for (Region r : regions) {
      int from = horizontal ? r.x() : r.y();
      int to = from + (horizontal ? r.width() : r.height());
      edges.add(Math.min(from, size));
      edges.add(Math.min(to, size));
    }
    return edges.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean inside(int x0, int y0, int x1, int y1, List<Region> regions) {
    for (Region r : regions) {
      if (r.x() <= x0 && r.y() <= y0 && r.x() + r.width() >= x1 && r.y() + r.height() >= y1) {
        return true;
      }
    }
    return false;
  }
}
