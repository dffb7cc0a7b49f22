package io.capstan.mixer.job;

import io.capstan.mixer.compositor.Backdrop;
import io.capstan.mixer.compositor.ImageCache;
import io.capstan.mixer.compositor.SourcePicture;
import io.capstan.mixer.compositor.YuvColor;
import io.capstan.mixer.layout.CustomRegion;
import io.capstan.mixer.layout.LayoutGeometry;
import io.capstan.mixer.layout.Region;
import io.capstan.mixer.layout.RenderMode;
import io.capstan.schemas.Layout;
import io.capstan.schemas.UserBackground;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job's layout over event time: the current {@link Layout} and the changes scheduled at later
 * instants (LayoutChange records take effect at their timestamp, not on arrival), turned into
 * regions and the backdrop (colour, canvas image, placeholders) of one output instant.
 */
final class LayoutSchedule {

  private final int width;
  private final int height;
  private final ImageCache images;
  private final TreeMap<Long, List<Layout>> changes = new TreeMap<>();
  private Layout layout;
  private YuvColor background;
  private List<CustomRegion> customRegions;
  private final Map<String, UserBackground> userBackgrounds = new HashMap<>();

  LayoutSchedule(int width, int height, Layout initial, ImageCache images) {
    this.width = width;
    this.height = height;
    this.images = images;
    use(initial == null ? Layout.newBuilder().build() : initial);
  }

  void schedule(long timeUs, Layout change) {
    changes.computeIfAbsent(timeUs, k -> new ArrayList<>()).add(change);
  }

  /** Applies every change due at or before {@code timeUs}. */
  void advanceTo(long timeUs) {
    Map.Entry<Long, List<Layout>> due;
    while ((due = changes.firstEntry()) != null && due.getKey() <= timeUs) {
      changes.pollFirstEntry();
      due.getValue().forEach(this::use);
    }
  }

  List<Region> regions(List<String> visibleUids) {
    return LayoutGeometry.regions(width, height, layout.getMixedVideoLayout(), visibleUids,
        layout.getMaxResolutionUid(), customRegions);
  }

  /** Images are fetched here, on the first frame that shows them, then kept. */
  Backdrop backdrop() {
    return new Backdrop(background, images.get(layout.getBackgroundImage()), this::placeholder);
  }

  /** The uid's own backgroundConfig image, else the default user background, else none. */
  private Backdrop.Placeholder placeholder(String uid) {
    UserBackground own = userBackgrounds.get(uid);
    if (own != null) {
      SourcePicture picture = images.get(own.getImageUrl());
      if (picture != null) {
        return new Backdrop.Placeholder(picture, RenderMode.of(own.getRenderMode()));
      }
    }
    SourcePicture fallback = images.get(layout.getDefaultUserBackgroundImage());
    return fallback == null ? null : new Backdrop.Placeholder(fallback, RenderMode.CROP);
  }

  private void use(Layout l) {
    layout = l;
    background = YuvColor.ofHex(l.getBackgroundColor());
    customRegions = l.getRegions() == null ? List.of() : l.getRegions().stream()
        .map(r -> new CustomRegion(r.getUid(), r.getX(), r.getY(), r.getWidth(), r.getHeight(), r.getAlpha(),
            r.getRenderMode()))
        .toList();
    userBackgrounds.clear();
    if (l.getUserBackgrounds() != null) {
      l.getUserBackgrounds().forEach(b -> userBackgrounds.put(b.getUid(), b));
    }
  }
}
