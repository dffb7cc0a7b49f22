package io.capstan.app.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook subscriber on loopback, as a user's application would run one: it checks each
 * callback's {@code Agora-Signature-V2} (HMAC-SHA256 of the raw body) and hands on what arrived.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One callback as received: its envelope and whether its signature was right. */
  public record Callback(JsonNode envelope, boolean signatureValid) {
    public int eventType() {
      return envelope.path("eventType").asInt();
    }

    public String msgName() {
      return envelope.path("payload").path("details").path("msgName").asText();
    }

    public long sequence() {
      return envelope.path("payload").path("sequence").asLong(-1);
    }

    /** The recording the callback is about. */
    public String sid() {
      return envelope.path("sid").asText();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final byte[] secret;
  private final Consumer<Callback> listener;
  private final List<Callback> received = new CopyOnWriteArrayList<>();

  public WebhookReceiver(String secret, Consumer<Callback> listener) throws IOException {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.listener = listener;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/webhook", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
  }

  public List<Callback> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String signature = exchange.getRequestHeaders().getFirst("Agora-Signature-V2");
    boolean valid = signature != null && MessageDigest.isEqual(
        hmacSha256(body).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    Callback callback = new Callback(JSON.readTree(body), valid);
    received.add(callback);
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
    listener.accept(callback);
  }

  private String hmacSha256(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
