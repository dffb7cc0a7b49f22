package io.capstan.runtime.source;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source URL as ingest understands it: what FFmpeg opens, with which input format, and whether it
 * is a live stream (reconnect when lost) or a file-like source (its end is the uid leaving; FAST
 * pacing allowed). {@code lavfi:GRAPH} is an FFmpeg filter graph: generated media for demos and tests.
 */
public record SourceUrl(String url, Kind kind, String scheme, String input, String format) {

  public enum Kind { LIVE, FILE, GENERATED }

  private static final Set<String> LIVE_SCHEMES = Set.of("rtmp", "rtmps", "rtsp", "rtsps", "srt", "udp", "rtp", "http",
      "https");
  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");

  /** @throws IllegalArgumentException saying what is wrong with the URL */
  public static SourceUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("is empty");
    }
    if (url.startsWith("/")) {
      return new SourceUrl(url, Kind.FILE, "file", url, null);
    }
    Matcher m = SCHEME.matcher(url);
    if (!m.find()) {
      throw new IllegalArgumentException("must be an absolute path or a URL with a scheme (rtmp, rtmps, rtsp, rtsps, "
          + "srt, http, https, whep+https, file, lavfi)");
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    String rest = url.substring(m.end());
    if (scheme.equals("lavfi")) {
      if (rest.isBlank()) {
        throw new IllegalArgumentException("lavfi: needs an FFmpeg filter graph after the colon");
      }
      return new SourceUrl(url, Kind.GENERATED, scheme, rest, "lavfi");
    }
    if (scheme.equals("file")) {
      if (rest.isBlank()) {
        throw new IllegalArgumentException("file: needs a path");
      }
      return new SourceUrl(url, Kind.FILE, scheme, url, null);
    }
    if (scheme.startsWith("whep+") || scheme.startsWith("whip+")) {
      return webRtc(url, scheme, rest);
    }
    if (!LIVE_SCHEMES.contains(scheme)) {
      throw new IllegalArgumentException("scheme '" + scheme + "' is not supported (use rtmp, rtmps, rtsp, rtsps, udp, rtp, "
          + "srt, http, https, whep+http, whep+https, file, lavfi or an absolute path)");
    }
    if (!rest.startsWith("//") || rest.length() <= 2) {
      throw new IllegalArgumentException("'" + scheme + "' URL needs a host (" + scheme + "://host/...)");
    }
    return new SourceUrl(url, Kind.LIVE, scheme, url, null);
  }

  /**
   * {@code whep+http(s)://}: a WHEP endpoint, played with WebRTC (input is the endpoint's own URL).
   * {@code whip+http(s)://}: a WHIP publisher of this deployment, as the gateway writes it into the
   * channel directory: read in place in the gateway's process, elsewhere from its media relay
   * (input: the session's {@code /media}).
   */
  private static SourceUrl webRtc(String url, String scheme, String rest) {
    String inner = scheme.substring(5);
    if (!inner.equals("http") && !inner.equals("https")) {
      throw new IllegalArgumentException("'" + scheme + "' is not supported (use " + scheme.substring(0, 5) + "http or "
          + scheme.substring(0, 5) + "https)");
    }
    if (!rest.startsWith("//") || rest.length() <= 2) {
      throw new IllegalArgumentException("'" + scheme + "' URL needs a host (" + scheme + "://host/...)");
    }
    String plain = inner + ":" + rest;
    if (scheme.startsWith("whep+")) {
      return new SourceUrl(url, Kind.LIVE, scheme, plain, null);
    }
    int query = plain.indexOf('?');
    String input = query < 0 ? plain + "/media" : plain.substring(0, query) + "/media" + plain.substring(query);
    return new SourceUrl(url, Kind.LIVE, scheme, input, null);
  }

  /** A WHEP endpoint, played with WebRTC. */
  public boolean whep() {
    return scheme.startsWith("whep+");
  }

  /** A WHIP publisher of this deployment (see {@link #webRtc}). */
  public boolean whip() {
    return scheme.startsWith("whip+");
  }

  /** The WHIP session a {@code whip+} URL names: its path's last segment. */
  public String whipSession() {
    String path = java.net.URI.create(url.substring(5)).getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Files named in the job and generated graphs: they end, and may be read faster than real time. */
  public boolean fileLike() {
    return kind != Kind.LIVE;
  }
}
