package io.capstan.ingest.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal Chrome DevTools protocol client over the JDK's WebSocket: commands answer with
 * futures, events go to listeners. Listeners run on the WebSocket's thread and must not block.
 */
final class DevToolsClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DevToolsClient.class);
  static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final Map<String, List<Consumer<JsonNode>>> listeners = new ConcurrentHashMap<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private volatile WebSocket socket;

  private DevToolsClient() {
  }

  /** Connects to a target's {@code webSocketDebuggerUrl}. */
  static DevToolsClient connect(HttpClient http, URI endpoint, Duration timeout) throws IOException {
    DevToolsClient client = new DevToolsClient();
    try {
      client.socket = http.newWebSocketBuilder()
          .connectTimeout(timeout)
          .buildAsync(endpoint, client.new Listener())
          .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return client;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to DevTools", e);
    } catch (Exception e) {
      throw new IOException("cannot connect to DevTools at " + endpoint + ": " + e.getMessage(), e);
    }
  }

  /** Sends a command; the future completes with its {@code result} or fails with its {@code error}. */
  CompletableFuture<JsonNode> send(String method, Map<String, ?> params) {
    long id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    if (closed.isDone()) {
      answer.completeExceptionally(new IOException("DevTools connection closed: " + closed.join()));
      return answer;
    }
    pending.put(id, answer);
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", JSON.valueToTree(params));
    String text = message.toString();
    // The JDK WebSocket allows one outstanding send at a time.
    synchronized (this) {
      try {
        socket.sendText(text, true).join();
      } catch (RuntimeException e) {
        pending.remove(id);
        answer.completeExceptionally(e);
      }
    }
    return answer;
  }

  CompletableFuture<JsonNode> send(String method) {
    return send(method, Map.of());
  }

  /** Calls {@code listener} with the {@code params} of every event named {@code event}. */
  void on(String event, Consumer<JsonNode> listener) {
    listeners.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>()).add(listener);
  }

  /** Completes with a reason when the connection ends (the browser or the page went away). */
  CompletableFuture<String> closed() {
    return closed;
  }

  private void dispatch(String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (IOException e) {
      LOG.warn("unreadable DevTools message: {}", e.getMessage());
      return;
    }
    if (message.has("id")) {
      CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asLong());
      if (answer == null) {
        return;
      }
      if (message.has("error")) {
        answer.completeExceptionally(new IOException("DevTools: " + message.get("error").path("message").asText()));
      } else {
        answer.complete(message.path("result"));
      }
      return;
    }
    String method = message.path("method").asText();
    for (Consumer<JsonNode> listener : listeners.getOrDefault(method, List.of())) {
      try {
        listener.accept(message.path("params"));
      } catch (RuntimeException e) {
        LOG.warn("DevTools listener for {} failed", method, e);
      }
    }
  }

  private void end(String reason) {
    if (closed.complete(reason)) {
      IOException failure = new IOException("DevTools connection closed: " + reason);
      pending.values().forEach(answer -> answer.completeExceptionally(failure));
      pending.clear();
    }
  }

  @Override
  public void close() {
    WebSocket ws = socket;
    end("closed by Capstan");
    if (ws != null) {
      ws.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        dispatch(text);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      end("closed by the browser (" + statusCode + ")");
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      end("connection failed: " + error);
    }
  }
}
