package io.capstan.mixer.layout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The composite layouts of the reference ("Layouts (composite)"), as pixel regions. Pure: no
 * Kafka, no FFmpeg. Every coordinate and size is rounded down to an even number of pixels
 * (Capstan rule: I420 chroma is subsampled by two).
 */
public final class LayoutGeometry {

  public static final int FLOAT = 0;
  public static final int BEST_FIT = 1;
  public static final int VERTICAL = 2;
  public static final int CUSTOM = 3;
  /** The predefined layouts show at most 17 users. */
  public static final int MAX_USERS = 17;

  private static final int FLOAT_COLUMNS = 4;
  private static final int VERTICAL_COLUMN = 8;

  private LayoutGeometry() {
  }

  /**
   * @param uids             users in join order
   * @param maxResolutionUid the large user of the vertical layout (null: the first user)
   * @param custom           the regions of the custom layout (ignored by the others)
   */
  public static List<Region> regions(int width, int height, int layout, List<String> uids, String maxResolutionUid,
                                     List<CustomRegion> custom) {
    if (width < 2 || height < 2) {
      throw new IllegalArgumentException("canvas " + width + "x" + height + " is too small");
    }
    return switch (layout) {
      case BEST_FIT -> bestFit(width, height, uids);
      case VERTICAL -> vertical(width, height, uids, maxResolutionUid);
      case CUSTOM -> custom(width, height, uids, custom == null ? List.of() : custom);
      default -> floating(width, height, uids);
    };
  }

  static int even(long value) {
    return (int) (Math.max(0, value) & ~1L);
  }

  /** The first user fills the canvas; the others sit in W/5 x H/5 regions, rows of 4 from the bottom left. */
  static List<Region> floating(int w, int h, List<String> uids) {
    List<Region> regions = new ArrayList<>();
    int n = Math.min(uids.size(), MAX_USERS);
    if (n == 0) {
      return regions;
    }
    regions.add(predefined(uids.get(0), 0, 0, even(w), even(h), 0));
    int smallW = even(w / 5);
    int smallH = even(h / 5);
    for (int i = 1; i < n; i++) {
      int row = (i - 1) / FLOAT_COLUMNS;
      int column = (i - 1) % FLOAT_COLUMNS;
      // x = W/50 + c(W/5 + W/50) = W(1 + 11c)/50; y = H - (r+1)(H/5 + H/50) = H(50 - 11(r+1))/50
      int x = even((long) w * (1 + 11L * column) / 50);
      int y = even((long) h * (50 - 11L * (row + 1)) / 50);
      regions.add(predefined(uids.get(i), x, y, smallW, smallH, i));
    }
    return regions;
  }

  /** ceil(sqrt n) columns, ceil(n / columns) rows of equal cells; a short last row is centred. */
  static List<Region> bestFit(int w, int h, List<String> uids) {
    List<Region> regions = new ArrayList<>();
    int n = Math.min(uids.size(), MAX_USERS);
    if (n == 0) {
      return regions;
    }
    int columns = (int) Math.ceil(Math.sqrt(n));
    int rows = (n + columns - 1) / columns;
    int cellW = even(w / columns);
    int cellH = even(h / rows);
    int lastRowUsers = n - (rows - 1) * columns;
    for (int i = 0; i < n; i++) {
      int row = i / columns;
      int column = i % columns;
      // Exact cell origin col*W/cols; the short last row is shifted by half the missing cells' width.
      long xTimesColumns = (long) column * w;
      if (row == rows - 1 && lastRowUsers < columns) {
        xTimesColumns += (long) (columns - lastRowUsers) * w / 2;
      }
      int x = even(xTimesColumns / columns);
      int y = even((long) row * h / rows);
      regions.add(predefined(uids.get(i), x, y, cellW, cellH, i));
    }
    return regions;
  }

  /** One large user on the left; the others in W/8 x H/8 regions in up to two columns of 8 on the right. */
  static List<Region> vertical(int w, int h, List<String> uids, String maxResolutionUid) {
    List<Region> regions = new ArrayList<>();
    int n = Math.min(uids.size(), MAX_USERS);
    if (n == 0) {
      return regions;
    }
    String large = maxResolutionUid != null && uids.subList(0, n).contains(maxResolutionUid)
        ? maxResolutionUid : uids.get(0);
    List<String> others = new ArrayList<>(uids.subList(0, n));
    others.remove(large);
    int columnsInUse = others.isEmpty() ? 0 : others.size() <= VERTICAL_COLUMN ? 1 : 2;
    int largeW = even((long) w * (8 - columnsInUse) / 8);
    regions.add(predefined(large, 0, 0, largeW, even(h), 0));
    int smallW = even(w / 8);
    int smallH = even(h / 8);
    for (int j = 0; j < others.size(); j++) {
      int column = j / VERTICAL_COLUMN;
      int row = j % VERTICAL_COLUMN;
      int x = even((long) w * (7 - column) / 8);
      int y = even((long) h * row / 8);
      regions.add(predefined(others.get(j), x, y, smallW, smallH, j + 1));
    }
    return regions;
  }

  /**
   * Exactly the given regions, in list order (later on top). An entry naming a uid shows that uid
   * if it is present; an entry without one takes the next user, in join order, not named by any
   * entry. Users without an entry are not shown.
   */
  static List<Region> custom(int w, int h, List<String> uids, List<CustomRegion> custom) {
    Set<String> named = new HashSet<>();
    for (CustomRegion c : custom) {
      if (c.uid() != null && !c.uid().isEmpty()) {
        named.add(c.uid());
      }
    }
    Iterator<String> unnamed = uids.stream().filter(u -> !named.contains(u)).iterator();
    List<Region> regions = new ArrayList<>();
    for (int i = 0; i < custom.size(); i++) {
      CustomRegion c = custom.get(i);
      String uid;
      if (c.uid() != null && !c.uid().isEmpty()) {
        uid = uids.contains(c.uid()) ? c.uid() : null;
      } else {
        uid = unnamed.hasNext() ? unnamed.next() : null;
      }
      if (uid == null) {
        continue;
      }
      int x = even((long) Math.floor(clamp(c.x()) * w));
      int y = even((long) Math.floor(clamp(c.y()) * h));
      int rw = Math.min(even((long) Math.floor(clamp(c.width()) * w)), even(w - x));
      int rh = Math.min(even((long) Math.floor(clamp(c.height()) * h)), even(h - y));
      if (rw < 2 || rh < 2) {
        continue;
      }
      regions.add(new Region(uid, x, y, rw, rh, i, clamp(c.alpha()), RenderMode.of(c.renderMode())));
    }
    return regions;
  }

  private static double clamp(double v) {
    return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
  }

  private static Region predefined(String uid, int x, int y, int width, int height, int z) {
    return new Region(uid, x, y, width, height, z, 1.0, RenderMode.CROP);
  }
}
