package io.capstan.mixer.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on 127.0.0.1 for image fetches: plain images, a server that trickles its
 * bytes, one that never ends its body, redirects, errors. Each handler runs on its own thread, so a
 * trickling response holds back nothing but itself, as on the internet.
 */
public final class ImageServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final AtomicInteger requests = new AtomicInteger();

  public ImageServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(handlers);
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Requests received, on every path. */
  public int requests() {
    return requests.get();
  }

  /** Serves {@code body} at {@code path} with its Content-Length. */
  public String serve(String path, byte[] body) {
    handle(path, exchange -> {
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    });
    return url(path);
  }

  public String status(String path, int status) {
    handle(path, exchange -> exchange.sendResponseHeaders(status, -1));
    return url(path);
  }

  public String redirect(String path, String location) {
    handle(path, exchange -> {
      exchange.getResponseHeaders().add("Location", location);
      exchange.sendResponseHeaders(302, -1);
    });
    return url(path);
  }

  /** A response that sends {@code body} one byte every {@code interval}, Content-Length announced. */
  public Trickle trickle(String path, byte[] body, Duration interval) {
    Trickle trickle = new Trickle(url(path), body.length);
    handle(path, exchange -> {
      exchange.sendResponseHeaders(200, body.length);
      OutputStream out = exchange.getResponseBody();
      try {
        for (byte b : body) {
          out.write(b);
          out.flush();
          trickle.sent.incrementAndGet();
          Thread.sleep(interval.toMillis()); // the server's pace, not the test's
        }
      } catch (IOException e) {
        trickle.cutOff.set(true);
        throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return trickle;
  }

  /** A chunked response that never ends: 64 KiB after 64 KiB until the client goes away. */
  public Trickle endless(String path) {
    Trickle endless = new Trickle(url(path), Long.MAX_VALUE);
    handle(path, exchange -> {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      byte[] chunk = new byte[64 * 1024];
      try {
        while (true) {
          out.write(chunk);
          endless.sent.addAndGet(chunk.length);
        }
      } catch (IOException e) {
        endless.cutOff.set(true);
        throw e;
      }
    });
    return endless;
  }

  /** A slow response as it goes: how much it sent, and whether the client hung up on it. */
  public static final class Trickle {
    private final String url;
    private final long length;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicBoolean cutOff = new AtomicBoolean();

    Trickle(String url, long length) {
      this.url = url;
      this.length = length;
    }

    public String url() {
      return url;
    }

    public long sent() {
      return sent.get();
    }

    /** Still sending: the client has neither all of it nor hung up. */
    public boolean sending() {
      return sent.get() < length && !cutOff.get();
    }

    /** The client closed the connection before the end. */
    public boolean cutOff() {
      return cutOff.get();
    }
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private void handle(String path, Handler handler) {
    server.createContext(path, exchange -> {
      requests.incrementAndGet();
      try {
        handler.handle(exchange);
      } finally {
        exchange.close();
      }
    });
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }
}
