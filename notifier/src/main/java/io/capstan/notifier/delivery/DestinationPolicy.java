package io.capstan.notifier.delivery;

import io.capstan.runtime.net.AddressPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which webhook URLs Capstan may call. Webhook URLs come from API users, so without this rule a
 * job could make the notifier POST to the operator's internal services (SSRF). Unless private
 * destinations are allowed (tests, demos, one-host deployments), a URL whose host resolves to a
 * loopback, link-local, site-local, unique-local, wildcard or multicast address is refused.
 * The check runs before every attempt, so a name that later resolves elsewhere is caught then
 * (the HTTP client resolves once more; that small window is accepted).
 */
public final class DestinationPolicy {

  public static final String PRIVATE_REFUSED = "destination not allowed: private address";

  private final boolean allowPrivate;

  public DestinationPolicy(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** Why {@code uri} must not be called, or empty when it may. */
  public Optional<String> refusal(URI uri) throws UnknownHostException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("destination not allowed: scheme must be http or https");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of("destination not allowed: no host");
    }
    if (allowPrivate) {
      return Optional.empty();
    }
    for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
      if (isPrivate(address)) {
        return Optional.of(PRIVATE_REFUSED);
      }
    }
    return Optional.empty();
  }

  /** The same rule as every other address a caller names ({@link AddressPolicy#isInternal}). */
  static boolean isPrivate(InetAddress a) {
    return AddressPolicy.isInternal(a);
  }
}
