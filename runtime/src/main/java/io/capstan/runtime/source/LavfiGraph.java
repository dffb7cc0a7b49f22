package io.capstan.runtime.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code lavfi:} source's filter graph, checked against what a caller may ask FFmpeg to run:
 * generators that read nothing and filters that only transform what they are given. {@code movie},
 * {@code amovie}, {@code drawtext} (font and text files), plugin hosts and anything else that can
 * open a file, a URL or a library is not on the list, so it is refused. Quotes and backslashes are
 * refused too: FFmpeg's graph parser unescapes them, which would let a name hide from this check.
 */
public final class LavfiGraph {

  /** Generators: they make media from their options alone. */
  static final Set<String> GENERATORS = Set.of("testsrc", "testsrc2", "smptebars", "smptehdbars", "rgbtestsrc",
      "yuvtestsrc", "color", "colorspectrum", "colorchart", "allrgb", "allyuv", "mandelbrot", "life", "cellauto",
      "gradients", "zoneplate", "pal75bars", "pal100bars", "nullsrc", "sine", "anullsrc", "aevalsrc", "anoisesrc");

  /** Filters that only transform their inputs (no file, URL or plugin options). */
  static final Set<String> FILTERS = Set.of("scale", "fps", "format", "aformat", "aresample", "trim", "atrim",
      "setpts", "asetpts", "settb", "asettb", "concat", "split", "asplit", "hflip", "vflip", "transpose", "rotate",
      "pad", "crop", "overlay", "hstack", "vstack", "xstack", "volume", "adelay", "apad", "amix", "pan",
      "aeval", "geq", "lutyuv", "lutrgb", "hue", "eq", "noise", "boxblur", "negate", "setsar", "setdar", "null",
      "anull", "tpad", "loop", "aloop", "md5", "amerge", "channelsplit", "afade", "fade", "tremolo", "vibrato");

  /** Options that make a generator end, and the filters that cut a stream. */
  private static final Pattern DURATION = Pattern.compile("(^|[=:])(d|duration)=[^:]+");
  private static final Set<String> CUTTERS = Set.of("trim", "atrim");
  private static final Pattern LABELS = Pattern.compile("^(\\[[A-Za-z0-9_]+\\])*");
  private static final Pattern NAME = Pattern.compile("^[a-z0-9_]+");

  private record Filter(String name, String args) {
  }

  private final List<List<Filter>> chains;

  private LavfiGraph(List<List<Filter>> chains) {
    this.chains = chains;
  }

  /** @throws IllegalArgumentException naming what is not allowed */
  public static LavfiGraph parse(String graph) {
    if (graph == null || graph.isBlank()) {
      throw new IllegalArgumentException("lavfi: needs an FFmpeg filter graph after the colon");
    }
    if (graph.length() > 2000) {
      throw new IllegalArgumentException("lavfi: the graph is longer than 2000 characters");
    }
    for (char c : graph.toCharArray()) {
      if (c == '\'' || c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException("lavfi: quotes, backslashes and control or non-ASCII characters are not "
            + "allowed in a graph");
      }
    }
    List<List<Filter>> chains = new ArrayList<>();
    boolean generator = false;
    for (String chainText : graph.split(";", -1)) {
      List<Filter> chain = new ArrayList<>();
      for (String text : chainText.split(",", -1)) {
        Filter filter = filter(text.strip());
        generator |= GENERATORS.contains(filter.name());
        chain.add(filter);
      }
      chains.add(chain);
    }
    if (!generator) {
      throw new IllegalArgumentException("lavfi: the graph has no generator (such as testsrc2, color or sine)");
    }
    return new LavfiGraph(List.copyOf(chains));
  }

  private static Filter filter(String text) {
    String rest = LABELS.matcher(text).replaceFirst("");
    Matcher name = NAME.matcher(rest);
    if (!name.find()) {
      throw new IllegalArgumentException("lavfi: cannot read a filter name in '" + text + "'");
    }
    String filter = name.group().toLowerCase(Locale.ROOT);
    if (!GENERATORS.contains(filter) && !FILTERS.contains(filter)) {
      throw new IllegalArgumentException("lavfi: filter '" + filter + "' is not allowed; a lavfi source may use "
          + "generators that read nothing (testsrc2, color, sine, ...) and plain transforms (scale, fps, concat, ...)");
    }
    String args = rest.substring(name.end());
    // What may follow the name: =options, then output labels.
    String options = args.startsWith("=") ? args.substring(1).replaceFirst("(\\[[A-Za-z0-9_]+\\])*$", "") : "";
    String tail = args.startsWith("=") ? "" : args;
    if (!tail.isEmpty() && !tail.matches("(\\[[A-Za-z0-9_]+\\])+")) {
      throw new IllegalArgumentException("lavfi: cannot read '" + text + "'");
    }
    return new Filter(filter, options);
  }

  /**
   * Whether the graph ends by itself: every generator has a duration, or its chain is cut by trim or
   * atrim. FAST jobs need this; a live job may record an endless pattern.
   */
  public boolean finite() {
    for (List<Filter> chain : chains) {
      boolean cut = chain.stream().anyMatch(f -> CUTTERS.contains(f.name()));
      for (Filter f : chain) {
        if (GENERATORS.contains(f.name()) && !cut && !DURATION.matcher(f.args()).find()) {
          return false;
        }
      }
    }
    return true;
  }
}
