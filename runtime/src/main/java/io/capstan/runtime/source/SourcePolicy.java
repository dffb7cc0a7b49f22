package io.capstan.runtime.source;

import io.capstan.runtime.config.Config;
import io.capstan.runtime.config.Setting;
import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.net.RefusedAddressException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * What a job's own {@code sources} may name: the one rule the gateway applies to a REST caller's
 * start and ingest applies again to every command and every connection. Files on the ingest
 * machines only when the operator allows them ({@link #FILES}); {@code lavfi:} only for graphs that
 * read nothing ({@link LavfiGraph}); network sources only on addresses the {@link AddressPolicy}
 * allows. Streams of the channel directory come from the operator's own media servers and are not
 * checked.
 */
public record SourcePolicy(boolean files, AddressPolicy addresses) {

  public static final Setting<Boolean> FILES = Setting.bool("gateway.sources.files", false,
      "let a job's sources name files on the ingest machines (file: URLs and absolute paths); checked by the "
          + "gateway and again by ingest");

  /** Everything allowed: jobs the operator writes (tools, benchmarks, post-processing). */
  public static final SourcePolicy OPEN = new SourcePolicy(true, AddressPolicy.open());

  public static SourcePolicy of(Config config) {
    return new SourcePolicy(config.get(FILES), AddressPolicy.of(config.get(AddressPolicy.ALLOW_PRIVATE)));
  }

  /**
   * The parsed URL when the rule allows it, without asking DNS (literal addresses are checked).
   *
   * @throws IllegalArgumentException saying what is not allowed and which setting opens it
   */
  public SourceUrl check(String url) {
    SourceUrl source = SourceUrl.parse(url);
    switch (source.kind()) {
      case FILE -> {
        if (!files) {
          throw new IllegalArgumentException("file sources are disabled (" + FILES.name() + ")");
        }
      }
      case GENERATED -> LavfiGraph.parse(source.input());
      case LIVE -> {
        if (source.whip()) {
          throw new IllegalArgumentException("whip+ URLs name a WHIP publisher of this deployment and come from the "
              + "channel directory; record the publisher's channel instead");
        }
        String host = host(source);
        if (host == null || host.isEmpty()) {
          throw new IllegalArgumentException("'" + source.scheme() + "' URL needs a host");
        }
        if (!addresses.allowsPrivate() && literal(host)) {
          try {
            addresses.resolve(host);
          } catch (RefusedAddressException e) {
            throw new IllegalArgumentException(e.getMessage());
          }
        }
      }
      default -> throw new IllegalStateException(source.kind().name());
    }
    return source;
  }

  /** Resolves a live source's host and checks every address: right before it is connected to. */
  public InetAddress resolve(SourceUrl source) throws RefusedAddressException {
    return addresses.resolve(host(source));
  }

  /** The host of a network source URL, without brackets; null when there is none. */
  public static String host(SourceUrl source) {
    try {
      URI uri = new URI(source.url());
      if (uri.getHost() != null) {
        return bare(uri.getHost());
      }
      // Hosts Java's URI parser rejects (underscores, SRT's query-only forms): take what is between // and the port or path.
      String authority = uri.getRawAuthority();
      return authority == null ? null : bare(authority.replaceFirst("^.*@", "").replaceFirst(":[0-9]*$", ""));
    } catch (URISyntaxException e) {
      String rest = source.url().replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "");
      String authority = rest.split("[/?#]", 2)[0].replaceFirst("^.*@", "");
      return bare(authority.startsWith("[") ? authority.replaceFirst("\\].*$", "]") : authority.replaceFirst(":[^:]*$", ""));
    }
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** An address written out, or a name every machine resolves locally: checked without DNS. */
  private static boolean literal(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    return h.equals("localhost") || h.endsWith(".localhost") || h.contains(":") || h.matches("[0-9a-fx.]+");
  }
}
