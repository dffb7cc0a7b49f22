package io.capstan.runtime.http;

import io.capstan.runtime.service.Service;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code /health} (200 while the service works), {@code /ready} (200 once it takes work) and
 * {@code /metrics} (Prometheus text). Other handlers (the gateway's API) can be added to the same
 * server under a path prefix, so a one-process deployment listens on one port.
 *
 * <p>Jetty parses requests without holding a thread, so clients that send their headers slowly cost
 * a socket each, not a worker; {@link HttpLimits} bounds the sockets, the time to send a request and
 * idle time. The probes answer on Jetty's own threads, apart from the work of any added handler.
 */
public final class HealthServer implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;
  private final ScheduledExecutorService timer;
  private final Map<String, Handler> prefixes = new ConcurrentHashMap<>();

  public HealthServer(String host, int port, Service service, PrometheusMeterRegistry metrics) {
    this(host, port, service, metrics, HttpLimits.DEFAULTS);
  }

  public HealthServer(String host, int port, Service service, PrometheusMeterRegistry metrics, HttpLimits limits) {
    QueuedThreadPool threads = new QueuedThreadPool(32, 2);
    threads.setName("http");
    threads.setDaemon(true);
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(16 * 1024);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "http-guard");
      t.setDaemon(true);
      return t;
    });
    connector.addEventListener(new ConnectionGuard(limits.connectionsPerAddress(), limits.headerTimeout(), timer));
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
    Map<String, Handler> probes = Map.of(
        "/health", text(service::healthy),
        "/ready", new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            List<String> waiting = service.notReady();
            respond(response, callback, waiting.isEmpty() ? 200 : 503, "application/json", waiting.isEmpty()
                ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\",\"waitingFor\":[\"" + String.join("\",\"", waiting) + "\"]}");
            return true;
          }
        },
        "/metrics", new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            respond(response, callback, 200, "text/plain; version=0.0.4", metrics.scrape());
            return true;
          }
        });
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        Handler probe = probes.get(path);
        if (probe != null) {
          return probe.handle(request, response, callback);
        }
        for (Map.Entry<String, Handler> prefix : prefixes.entrySet()) {
          if (path != null && path.startsWith(prefix.getKey())) {
            return prefix.getValue().handle(request, response, callback);
          }
        }
        respond(response, callback, 404, "application/json", "{\"code\":404,\"reason\":\"no such path\"}");
        return true;
      }
    });
  }

  /** Serves every path that starts with {@code prefix} with {@code handler}. */
  public void handle(String prefix, Handler handler) {
    prefixes.put(prefix, handler);
  }

  public void start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot serve HTTP on " + connector.getHost() + ":" + connector.getPort() + ": "
          + e.getMessage(), e);
    }
  }

  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // Closing anyway: nothing more to serve.
    } finally {
      timer.shutdownNow();
    }
  }

  private static Handler text(BooleanSupplier ok) {
    return new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        boolean good = ok.getAsBoolean();
        respond(response, callback, good ? 200 : 503, "application/json",
            good ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
        return true;
      }
    };
  }

  /**
   * For an answer to a request refused before its body was read (rate, credentials, path,
   * method, size): the body is not read at all (nothing an unknown caller sends is worth the
   * bandwidth), so the connection cannot serve another request. Saying so lets the client open a
   * new one rather than send its next request down a connection Jetty closes after this answer.
   */
  public static void closeIfBodyUnread(Request request, Response response) {
    if (request.getLength() != 0 && !response.isCommitted()) { // -1: chunked, a body of unknown length
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
  }

  /** Writes a whole answer and completes the exchange. */
  public static void respond(Response response, Callback callback, int status, String contentType, String body) {
    respond(response, callback, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  public static void respond(Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, java.nio.ByteBuffer.wrap(body), callback);
  }
}
