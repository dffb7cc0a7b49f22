package io.capstan.gateway.mapping;

import io.capstan.schemas.Layout;
import io.capstan.schemas.LayoutRegion;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.UserBackground;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * transcodingConfig (start, composite) and the updateLayout body: the canvas and its layout.
 * Missing fields take the reference's defaults, also in updateLayout, which replaces the whole
 * layout as the hosted product does.
 */
final class LayoutMapper {

  /** Capstan rule: at most 17 users per layout. */
  static final int MAX_USERS = 17;
  private static final Pattern COLOUR = Pattern.compile("#[0-9A-Fa-f]{6}");
  private static final double EPSILON = 1e-9;

  private LayoutMapper() {
  }

  static Transcoding transcoding(Obj t) {
    int width = t.integer("width", 360, 16, 1920);
    int height = t.integer("height", 640, 16, 1920);
    if (width % 2 != 0) {
      throw t.invalid("width", "must be even (I420 video), got " + width);
    }
    if (height % 2 != 0) {
      throw t.invalid("height", "must be even (I420 video), got " + height);
    }
    if ((long) width * height > 1920L * 1080) {
      throw t.invalid("height", "width x height must be at most 1920 x 1080 pixels, got " + width + " x " + height);
    }
    int fps = t.integer("fps", 15, 1, 30);
    int bitrate = t.integer("bitrate", 500, 1, 10000);
    Layout layout = layout(t);
    t.noteUnknown();
    return Transcoding.newBuilder().setWidth(width).setHeight(height).setFps(fps).setBitrateKbps(bitrate)
        .setLayout(layout).build();
  }

  /** The layout fields of transcodingConfig or of updateLayout's clientRequest. */
  static Layout layout(Obj o) {
    int mixed = o.integer("mixedVideoLayout", 0, 0, 3);
    Layout.Builder layout = Layout.newBuilder().setMixedVideoLayout(mixed)
        .setMaxResolutionUid(o.string("maxResolutionUid"));
    String colour = o.string("backgroundColor");
    if (colour != null) {
      if (!COLOUR.matcher(colour).matches()) {
        throw o.invalid("backgroundColor", "must be #RRGGBB, got '" + colour + "'");
      }
      layout.setBackgroundColor(colour.toUpperCase());
    }
    layout.setBackgroundImage(imageUrl(o, "backgroundImage"));
    layout.setDefaultUserBackgroundImage(imageUrl(o, "defaultUserBackgroundImage"));
    List<Obj> regions = o.objects("layoutConfig");
    if (mixed == 3) {
      if (regions == null || regions.isEmpty()) {
        throw o.invalid("layoutConfig", "required with mixedVideoLayout 3 (custom)");
      }
      if (regions.size() > MAX_USERS) {
        throw o.invalid("layoutConfig", "at most " + MAX_USERS + " regions, got " + regions.size());
      }
      List<LayoutRegion> mapped = new ArrayList<>();
      for (Obj r : regions) {
        mapped.add(region(r));
      }
      layout.setRegions(mapped);
    } else if (regions != null) {
      throw o.invalid("layoutConfig", "only with mixedVideoLayout 3 (custom), not with " + mixed);
    }
    List<Obj> backgrounds = o.objects("backgroundConfig");
    if (backgrounds != null) {
      List<UserBackground> mapped = new ArrayList<>();
      for (Obj b : backgrounds) {
        mapped.add(UserBackground.newBuilder().setUid(b.requiredString("uid"))
            .setImageUrl(requiredImageUrl(b, "image_url"))
            .setRenderMode(b.integer("render_mode", 0, 0, 1)).build());
        b.noteUnknown();
      }
      layout.setUserBackgrounds(mapped);
    }
    return layout.build();
  }

  private static LayoutRegion region(Obj r) {
    // The official Java client sends xaxis/yaxis next to x_axis/y_axis (a getter Jackson also
    // serialises): the same value under a second name.
    double x = r.requiredNumber(r.spelling("x_axis", "xaxis"), 0, 1);
    double y = r.requiredNumber(r.spelling("y_axis", "yaxis"), 0, 1);
    double width = r.requiredNumber("width", 0, 1);
    double height = r.requiredNumber("height", 0, 1);
    if (x + width > 1 + EPSILON) {
      throw r.invalid("width", "x_axis + width must be at most 1 (the canvas' right edge)");
    }
    if (y + height > 1 + EPSILON) {
      throw r.invalid("height", "y_axis + height must be at most 1 (the canvas' bottom edge)");
    }
    Double alpha = r.number("alpha", 0, 1);
    LayoutRegion region = LayoutRegion.newBuilder().setUid(r.string("uid")).setX(x).setY(y).setWidth(width)
        .setHeight(height).setAlpha(alpha == null ? 1.0 : alpha)
        .setRenderMode(r.integer("render_mode", 0, 0, 1)).build();
    r.noteUnknown();
    return region;
  }

  private static String imageUrl(Obj o, String name) {
    String url = o.string(name);
    if (url != null) {
      Urls.require(o, name, url, Urls.WEB);
    }
    return url;
  }

  private static String requiredImageUrl(Obj o, String name) {
    String url = o.requiredString(name);
    Urls.require(o, name, url, Urls.WEB);
    return url;
  }
}
