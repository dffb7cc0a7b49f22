package io.capstan.ingest.source;

import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.net.EgressProxy;
import io.capstan.runtime.net.RefusedAddressException;
import io.capstan.runtime.source.SourcePolicy;
import io.capstan.runtime.source.SourceUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacv.FrameGrabber;

/**
 * How FFmpeg reaches a source a caller named, so that the address checked is the address it
 * connects to. http(s) goes through an {@link EgressProxy} that checks every request FFmpeg makes —
 * redirects, HLS playlists, segments and keys included; plain rtmp, rtsp, srt, udp and rtp are
 * opened on the checked address itself. rtmps and rtsps are checked right before FFmpeg opens them
 * (TLS needs the name; FFmpeg resolves it again, which the network policy in front must cover).
 * Streams of the channel directory are the operator's and go straight.
 */
public final class SourceRoutes implements AutoCloseable {

  private static final Set<String> PINNED = Set.of("rtmp", "rtsp", "srt", "udp", "rtp");
  private static final Set<String> PROXIED = Set.of("http", "https");

  private final Map<AddressPolicy, EgressProxy> proxies = new ConcurrentHashMap<>();

  /** What to open and with which extra FFmpeg options. */
  public record Route(String input, Map<String, String> options) {
  }

  public Route of(StreamSpec stream) throws FrameGrabber.Exception {
    SourceUrl url = stream.url();
    SourcePolicy policy = stream.policy();
    if (policy == null || url.kind() != SourceUrl.Kind.LIVE) {
      return new Route(url.input(), Map.of());
    }
    InetAddress address;
    try {
      address = policy.resolve(url);
    } catch (RefusedAddressException e) {
      throw new FrameGrabber.Exception("source not allowed: " + e.getMessage());
    }
    if (policy.addresses().allowsPrivate()) {
      return new Route(url.input(), Map.of());
    }
    if (PROXIED.contains(url.scheme())) {
      return new Route(url.input(), Map.of("http_proxy", proxy(policy.addresses()).url()));
    }
    if (PINNED.contains(url.scheme())) {
      return new Route(pinned(url.input(), address), Map.of());
    }
    return new Route(url.input(), Map.of());
  }

  /** The proxy of {@code policy}'s address rule; empty when it allows every address. */
  public Optional<String> proxyUrl(SourcePolicy policy) {
    return policy == null || policy.addresses().allowsPrivate() ? Optional.empty()
        : Optional.of(proxy(policy.addresses()).url());
  }

  private EgressProxy proxy(AddressPolicy addresses) {
    return proxies.computeIfAbsent(addresses, a -> {
      try {
        return new EgressProxy(a);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the egress proxy", e);
      }
    });
  }

  /** The URL with its host replaced by the address checked. */
  static String pinned(String url, InetAddress address) throws FrameGrabber.Exception {
    try {
      URI uri = new URI(url);
      String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
      StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
      if (uri.getRawUserInfo() != null) {
        out.append(uri.getRawUserInfo()).append('@');
      }
      out.append(host);
      if (uri.getPort() >= 0) {
        out.append(':').append(uri.getPort());
      }
      out.append(uri.getRawPath() == null ? "" : uri.getRawPath());
      if (uri.getRawQuery() != null) {
        out.append('?').append(uri.getRawQuery());
      }
      return out.toString();
    } catch (URISyntaxException e) {
      throw new FrameGrabber.Exception("source URL cannot be read: " + e.getReason());
    }
  }

  @Override
  public void close() {
    proxies.values().forEach(EgressProxy::close);
    proxies.clear();
  }
}
