package io.capstan.ingest.web;

import java.net.URI;
import java.util.Objects;

/**
 * What to render and how: the page, its viewport (= the recorded picture), the frame rate and
 * whether the browser poses as a phone.
 *
 * @param url the page ({@code http}, {@code https} or {@code file})
 * @param width viewport width in CSS pixels (device scale factor 1), 16 … 4096
 * @param height viewport height, 16 … 4096
 * @param fps frames per second grabbed from the display, 1 … 60
 * @param mobile render as a mobile browser: a phone user agent, touch events and the mobile
 *     viewport rules ({@code <meta name=viewport>}), at the same width × height
 */
public record PageOptions(URI url, int width, int height, int fps, boolean mobile, String proxy) {

  /** The user agent of {@code mobile} sessions: Chromium on a recent Android phone. */
  public static final String MOBILE_USER_AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) "
      + "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36";

  public PageOptions {
    Objects.requireNonNull(url, "url");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
      throw new IllegalArgumentException("url must be http, https or file: " + url.getScheme());
    }
    if (width < 16 || width > 4096 || height < 16 || height > 4096) {
      throw new IllegalArgumentException("width and height must be 16 … 4096: " + width + "x" + height);
    }
    if (fps < 1 || fps > 60) {
      throw new IllegalArgumentException("fps must be 1 … 60: " + fps);
    }
  }

  /** Without a proxy: the browser reaches the page and what it loads directly. */
  public PageOptions(URI url, int width, int height, int fps, boolean mobile) {
    this(url, width, height, fps, mobile, null);
  }

  public static PageOptions of(String url, int width, int height, int fps) {
    return new PageOptions(URI.create(url), width, height, fps, false);
  }

  public PageOptions withMobile(boolean mobile) {
    return new PageOptions(url, width, height, fps, mobile, proxy);
  }

  /**
   * Everything the page loads goes through {@code proxy} (an egress proxy that checks each address),
   * loopback included, and WebRTC may not bypass it over UDP; null: direct.
   */
  public PageOptions withProxy(String proxy) {
    return new PageOptions(url, width, height, fps, mobile, proxy);
  }

  /** Width of the grabbed frames: I420 needs it even, so an odd viewport loses its last column. */
  public int frameWidth() {
    return width & ~1;
  }

  /** Height of the grabbed frames: even, like {@link #frameWidth()}. */
  public int frameHeight() {
    return height & ~1;
  }
}
