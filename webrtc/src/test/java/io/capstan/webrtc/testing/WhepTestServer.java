package io.capstan.webrtc.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.capstan.webrtc.RtcException;
import io.capstan.webrtc.RtcSettings;
import io.capstan.webrtc.SendSession;
import io.capstan.webrtc.SessionListener;
import io.capstan.webrtc.TestPattern;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny WHEP server for tests: {@code POST /whep} with a receive-only offer is answered (201,
 * Location {@code /whep/<n>}) by a {@link SendSession} sending a copy of a {@link TestPattern};
 * {@code DELETE /whep/<n>} ends it. {@link #stop()} closes every session (the peers see their
 * connection go) and {@link #start()} listens again on the same port.
 */
public final class WhepTestServer implements AutoCloseable {

  private final TestPattern pattern;
  private final String token;
  private final RtcSettings settings;
  private final Map<String, SendSession> sessions = new ConcurrentHashMap<>();
  private final List<String> deleted = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private HttpServer server;
  private int port;

  /** {@code token} null: no Authorization needed; otherwise "Bearer token" or 401. */
  public WhepTestServer(TestPattern pattern, String token) {
    this(pattern, token, RtcSettings.defaults());
  }

  public WhepTestServer(TestPattern pattern, String token, RtcSettings settings) {
    this.pattern = pattern;
    this.token = token;
    this.settings = settings;
  }

  /** Listens on 127.0.0.1, on the port of the last start (a free one the first time). */
  public synchronized WhepTestServer start() throws IOException {
    if (server != null) {
      return this;
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.createContext("/whep", this::handle);
    server.start();
    port = server.getAddress().getPort();
    return this;
  }

  /** Closes every session and stops listening; start() again reuses the port. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
    sessions.values().forEach(SendSession::close);
    sessions.clear();
  }

  @Override
  public void close() {
    stop();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port + "/whep");
  }

  /** Sessions answered and not yet ended. */
  public int sessions() {
    return sessions.size();
  }

  /** The resource paths DELETEd so far, in order. */
  public List<String> deleted() {
    return List.copyOf(deleted);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (token != null && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        reply(exchange, 401, "text/plain", "a Bearer token is needed");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      switch (exchange.getRequestMethod()) {
        case "POST" -> post(exchange);
        case "DELETE" -> {
          SendSession session = sessions.remove(path);
          if (session == null) {
            reply(exchange, 404, "text/plain", "no such session");
            return;
          }
          deleted.add(path);
          session.close();
          reply(exchange, 200, "text/plain", "");
        }
        default -> reply(exchange, 405, "text/plain", "POST or DELETE");
      }
    }
  }

  private void post(HttpExchange exchange) throws IOException {
    String offer;
    try (InputStream in = exchange.getRequestBody()) {
      offer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null || !contentType.startsWith("application/sdp")) {
      reply(exchange, 415, "text/plain", "application/sdp expected");
      return;
    }
    SendSession session;
    try {
      session = SendSession.answer(settings, offer, pattern.copy(), SessionListener.NONE);
    } catch (RtcException e) {
      reply(exchange, 400, "text/plain", e.getMessage());
      return;
    }
    String location = "/whep/" + ids.incrementAndGet();
    sessions.put(location, session);
    exchange.getResponseHeaders().add("Location", location);
    reply(exchange, 201, "application/sdp", session.localSdp());
  }

  private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }
}
