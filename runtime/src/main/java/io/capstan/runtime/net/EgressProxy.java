package io.capstan.runtime.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP proxy on the loopback interface through which FFmpeg (or a browser) reaches what a caller
 * named: every request, redirect, HLS segment and key, and TLS tunnel (CONNECT) is resolved and
 * checked by the {@link AddressPolicy} here, and the checked address is the one connected to. So
 * a name that resolves elsewhere a second time, a redirect or a playlist entry pointing inside
 * cannot reach the operator's network. Refused requests get 403 with the reason.
 */
public final class EgressProxy implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EgressProxy.class);
  private static final int MAX_HEAD = 64 * 1024;
  private static final int CONNECT_TIMEOUT_MS = 10_000;

  private final AddressPolicy policy;
  private final ServerSocket server;
  private final ExecutorService threads;
  private final AtomicInteger refused = new AtomicInteger();
  private volatile boolean open = true;

  public EgressProxy(AddressPolicy policy) throws IOException {
    this.policy = policy;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "egress-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    threads.execute(this::accept);
  }

  /** The proxy's URL, for FFmpeg's {@code http_proxy} option or a browser's {@code --proxy-server}. */
  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** How many requests the policy refused so far. */
  public int refused() {
    return refused.get();
  }

  private void accept() {
    while (open) {
      try {
        Socket client = server.accept();
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        if (open) {
          log.warn("egress proxy: accept failed: {}", e.getMessage());
        }
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setSoTimeout(CONNECT_TIMEOUT_MS);
      InputStream in = client.getInputStream();
      byte[] head = readHead(in);
      if (head == null) {
        return;
      }
      String text = new String(head, StandardCharsets.ISO_8859_1);
      int lineEnd = text.indexOf("\r\n");
      String[] requestLine = text.substring(0, lineEnd).split(" ");
      if (requestLine.length != 3) {
        answer(client, 400, "bad request line");
        return;
      }
      String method = requestLine[0].toUpperCase(Locale.ROOT);
      Target target = method.equals("CONNECT") ? Target.authority(requestLine[1], 443)
          : Target.absolute(requestLine[1]);
      if (target == null) {
        answer(client, 400, "a proxy request needs an absolute http URL or CONNECT host:port");
        return;
      }
      InetAddress address;
      try {
        address = policy.resolve(target.host());
      } catch (RefusedAddressException e) {
        refused.incrementAndGet();
        log.info("egress proxy: refused {} {}: {}", method, target.host(), e.getMessage());
        answer(client, 403, e.getMessage());
        return;
      }
      try (Socket upstream = new Socket()) {
        upstream.connect(new InetSocketAddress(address, target.port()), CONNECT_TIMEOUT_MS);
        client.setSoTimeout(0);
        OutputStream toUpstream = upstream.getOutputStream();
        if (method.equals("CONNECT")) {
          client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
        } else {
          // Origin form towards the server; the proxy's own headers stay here.
          StringBuilder forward = new StringBuilder(method).append(' ').append(target.path()).append(' ')
              .append(requestLine[2]).append("\r\n");
          for (String header : text.substring(lineEnd + 2).split("\r\n")) {
            String name = header.contains(":") ? header.substring(0, header.indexOf(':')).trim().toLowerCase(Locale.ROOT)
                : "";
            if (!header.isEmpty() && !name.startsWith("proxy-")) {
              forward.append(header).append("\r\n");
            }
          }
          forward.append("\r\n");
          toUpstream.write(forward.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        toUpstream.flush();
        Thread back = new Thread(() -> pipe(upstream, client), "egress-back");
        back.setDaemon(true);
        back.start();
        pipe(client, upstream);
        back.join();
      }
    } catch (IOException e) {
      log.debug("egress proxy: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Copies until either side ends, then ends the other. */
  private static void pipe(Socket from, Socket to) {
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away: the other follows
    } finally {
      try {
        to.shutdownOutput();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  /** The request line and headers, up to the blank line; null when the client sent nothing. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int lastFour = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      lastFour = (lastFour << 8) | b;
      if (lastFour == 0x0d0a0d0a) {
        return head.toByteArray();
      }
      if (head.size() > MAX_HEAD) {
        throw new IOException("request head over " + MAX_HEAD + " bytes");
      }
    }
    return head.size() == 0 ? null : head.toByteArray();
  }

  private static void answer(Socket client, int status, String reason) throws IOException {
    byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + (status == 403 ? " Forbidden" : " Bad Request") + "\r\nContent-Type: "
        + "text/plain; charset=utf-8\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    OutputStream out = client.getOutputStream();
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** Where a proxy request goes. */
  private record Target(String host, int port, String path) {

    static Target authority(String authority, int defaultPort) {
      int colon = authority.lastIndexOf(':');
      boolean bracketed = authority.startsWith("[");
      if (colon < 0 || bracketed && colon < authority.indexOf(']')) {
        return new Target(unbracket(authority), defaultPort, null);
      }
      try {
        return new Target(unbracket(authority.substring(0, colon)), Integer.parseInt(authority.substring(colon + 1)),
            null);
      } catch (NumberFormatException e) {
        return null;
      }
    }

    static Target absolute(String url) {
      try {
        URI uri = new URI(url);
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
          return null;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
          path += "?" + uri.getRawQuery();
        }
        return new Target(unbracket(uri.getHost()), uri.getPort() < 0 ? 80 : uri.getPort(), path);
      } catch (URISyntaxException e) {
        return null;
      }
    }

    private static String unbracket(String host) {
      return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
  }

  @Override
  public void close() {
    open = false;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    threads.shutdownNow();
  }
}
