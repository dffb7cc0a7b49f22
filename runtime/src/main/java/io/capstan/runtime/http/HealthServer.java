package io.capstan.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.capstan.runtime.service.Service;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code /health} (200 while the service works), {@code /ready} (200 once it takes work) and
 * {@code /metrics} (Prometheus text). Other handlers (the gateway's API) can be added to the same
 * server, so a one-process deployment listens on one port.
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  public HealthServer(String host, int port, Service service, PrometheusMeterRegistry metrics) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 64);
    server.setExecutor(Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/health", probe(service::healthy));
    server.createContext("/ready", exchange -> {
      List<String> waiting = service.notReady();
      respond(exchange, waiting.isEmpty() ? 200 : 503, "application/json", waiting.isEmpty() ? "{\"status\":\"UP\"}"
          : "{\"status\":\"DOWN\",\"waitingFor\":[\"" + String.join("\",\"", waiting) + "\"]}");
    });
    server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4",
        metrics.scrape()));
  }

  public void handle(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(1);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private static HttpHandler probe(BooleanSupplier ok) {
    return exchange -> {
      boolean good = ok.getAsBoolean();
      respond(exchange, good ? 200 : 503, "application/json",
          good ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    };
  }

  public static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
