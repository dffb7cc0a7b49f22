package io.capstan.runtime.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts each client address's open connections and closes those past the limit, and closes a
 * connection whose first request has not come in whole within the header timeout: a client that
 * trickles its headers a byte at a time keeps the idle timeout from firing, this catches it.
 */
final class ConnectionGuard implements Connection.Listener {

  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  private final int perAddress;
  private final Duration headerTimeout;
  private final ScheduledExecutorService timer;
  private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

  ConnectionGuard(int perAddress, Duration headerTimeout, ScheduledExecutorService timer) {
    this.perAddress = perAddress;
    this.headerTimeout = headerTimeout;
    this.timer = timer;
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress address = address(connection);
    if (address != null) {
      int count = open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
      if (count > perAddress) {
        log.debug("closing a connection from {}: it holds {} already (http.connections.per.address)", address,
            count - 1);
        connection.getEndPoint().close();
        return;
      }
    }
    timer.schedule(() -> {
      if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) {
        log.debug("closing a connection from {}: no whole request within {} (http.header.timeout)", address,
            headerTimeout);
        // The socket itself: closing the connection would have Jetty answer the half request with a 500.
        connection.getEndPoint().close();
      }
    }, headerTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void onClosed(Connection connection) {
    InetAddress address = address(connection);
    if (address == null) {
      return;
    }
    open.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  private static InetAddress address(Connection connection) {
    SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
