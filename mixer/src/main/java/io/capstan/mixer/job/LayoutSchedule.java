package io.capstan.mixer.job;

import io.capstan.mixer.compositor.Backdrop;
import io.capstan.mixer.compositor.SourcePicture;
import io.capstan.mixer.compositor.YuvColor;
import io.capstan.mixer.image.ImageCache;
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
 * regions and the backdrop (colour, canvas image, placeholders) of one output instant. A layout's
 * images start loading as soon as the layout is known (a scheduled change's too, so they are
 * likely ready at its instant); a frame made before one is ready shows what it would without it.
 */
final class LayoutSchedule {

  /** The request's names of the images, for the warning when one cannot be shown. */
  private static final String BACKGROUND_IMAGE = "backgroundImage";
  private static final String DEFAULT_USER_BACKGROUND = "defaultUserBackgroundImage";

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
    load(change);
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

  Backdrop backdrop() {
    images.reportFailures();
    return new Backdrop(background, images.get(BACKGROUND_IMAGE, layout.getBackgroundImage()), this::placeholder);
  }

  /** The uid's own backgroundConfig image, else the default user background, else none. */
  private Backdrop.Placeholder placeholder(String uid) {
    UserBackground own = userBackgrounds.get(uid);
    if (own != null) {
      SourcePicture picture = images.get(userBackground(uid), own.getImageUrl());
      if (picture != null) {
        return new Backdrop.Placeholder(picture, RenderMode.of(own.getRenderMode()));
      }
    }
    SourcePicture fallback = images.get(DEFAULT_USER_BACKGROUND, layout.getDefaultUserBackgroundImage());
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
    load(l);
  }

  /** Starts loading every image of {@code l}; the answers are not needed yet. */
  private void load(Layout l) {
    images.get(BACKGROUND_IMAGE, l.getBackgroundImage());
    images.get(DEFAULT_USER_BACKGROUND, l.getDefaultUserBackgroundImage());
    if (l.getUserBackgrounds() != null) {
      l.getUserBackgrounds().forEach(b -> images.get(userBackground(b.getUid()), b.getImageUrl()));
    }
  }

  private static String userBackground(String uid) {
    return "backgroundConfig image_url of uid " + uid;
  }
}
