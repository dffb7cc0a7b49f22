package io.capstan.runtime.net;

import io.capstan.runtime.config.Setting;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which hosts Capstan may connect to on a REST caller's behalf: sources, background and placeholder
 * images, storage endpoints, web pages, webhook targets. Without this rule a caller could make
 * Capstan fetch the operator's internal services or the cloud's metadata endpoint (SSRF). Unless
 * the operator allows it ({@link #ALLOW_PRIVATE}), loopback, link-local (169.254.169.254 included),
 * private, shared (100.64/10), unique-local, wildcard, multicast and reserved addresses are refused.
 *
 * <p>{@link #resolve} checks every address a name has and returns the one to connect to, so the
 * address checked is the address used (no DNS rebinding between the two). Clients that resolve
 * again themselves (the JDK's HTTP client, FFmpeg) get the JVM's cached answer within
 * {@link #DNS_CACHE_SECONDS}, which {@link #pinDnsCache()} makes a fixed rule of the process.
 */
public final class AddressPolicy {

  public static final Setting<Boolean> ALLOW_PRIVATE = Setting.bool("addresses.allow.private", false,
      "let REST callers name loopback, link-local and private addresses (sources, images, storage endpoints,"
          + " pages); for one-machine trials and tests only");

  /** How long the JVM keeps a resolved name: long enough to cover a check and the connect after it. */
  public static final int DNS_CACHE_SECONDS = 30;

  private static final AddressPolicy OPEN = new AddressPolicy(true, a -> false);
  private static final AddressPolicy STRICT = new AddressPolicy(false, AddressPolicy::isInternal);

  private static final Pattern ODD_IPV4 = Pattern.compile("(?i)(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?");
  private static final Pattern DOTTED_QUAD = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

  private final boolean allowPrivate;
  private final Predicate<InetAddress> refused;

  private AddressPolicy(boolean allowPrivate, Predicate<InetAddress> refused) {
    this.allowPrivate = allowPrivate;
    this.refused = refused;
  }

  /** A policy with its own rule of which addresses are internal (a test's second loopback address, say). */
  public static AddressPolicy refusing(Predicate<InetAddress> internal) {
    return new AddressPolicy(false, internal);
  }

  public static AddressPolicy of(boolean allowPrivate) {
    return allowPrivate ? OPEN : STRICT;
  }

  /** Every address allowed: hosts named by the operator, not by a caller. */
  public static AddressPolicy open() {
    return OPEN;
  }

  public boolean allowsPrivate() {
    return allowPrivate;
  }

  /** Keeps positive DNS answers for {@link #DNS_CACHE_SECONDS}, whatever the name's own TTL says. */
  public static void pinDnsCache() {
    Security.setProperty("networkaddress.cache.ttl", Integer.toString(DNS_CACHE_SECONDS));
  }

  /**
   * The address to connect to for {@code host}: every address the name has must be allowed, so a
   * name that also points inside cannot be used to get in on a later resolution.
   *
   * @throws RefusedAddressException when one is not allowed, or the name does not resolve
   */
  public InetAddress resolve(String host) throws RefusedAddressException {
    if (host == null || host.isBlank()) {
      throw new RefusedAddressException("has no host");
    }
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (ODD_IPV4.matcher(bare).matches() && !DOTTED_QUAD.matcher(bare).matches()) {
      // 0177.1, 2130706433, 0x7f.1: the C resolver FFmpeg uses reads these as 127.0.0.1, Java does not.
      throw new RefusedAddressException("host '" + bare + "' is an IPv4 address in a non-standard form; write it as a.b.c.d");
    }
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(bare);
    } catch (UnknownHostException e) {
      throw new RefusedAddressException("host '" + bare + "' does not resolve");
    }
    if (!allowPrivate) {
      for (InetAddress address : all) {
        if (refused.test(address)) {
          throw new RefusedAddressException("host '" + bare + "' is a loopback, link-local or private address ("
              + address.getHostAddress() + "); the operator allows those with " + ALLOW_PRIVATE.name()
              + " (--allow-private-addresses)");
        }
      }
    }
    return all[0];
  }

  /** Loopback, link-local, private, shared, unique-local, wildcard, multicast or reserved. */
  public static boolean isInternal(InetAddress a) {
    if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 // this network
          || first == 100 && second >= 64 && second < 128 // shared address space (carrier NAT)
          || first == 192 && second == 0 && (b[2] & 0xff) == 0 // IETF protocol assignments
          || first == 198 && (second == 18 || second == 19) // benchmarking
          || first >= 240; // reserved and broadcast
    }
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return true; // fc00::/7 unique local (AWS's fd00:ec2::254 metadata included)
      }
      if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
        return true; // fec0::/10 old site-local
      }
      if (embedsIpv4(b)) {
        try {
          return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }

  /** ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64); ::ffff:a.b.c.d arrives as an Inet4Address. */
  private static boolean embedsIpv4(byte[] b) {
    boolean zeros = true;
    for (int i = 0; i < 12; i++) {
      zeros &= b[i] == 0;
    }
    boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = b[i] == 0;
    }
    return zeros || nat64;
  }
}
