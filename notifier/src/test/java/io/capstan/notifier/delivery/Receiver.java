package io.capstan.notifier.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** A real webhook receiver on 127.0.0.1 that records every request and answers as told. */
final class Receiver implements AutoCloseable {

  /** One request as it arrived, and what the receiver answered. */
  record Request(byte[] body, JsonNode json, String contentType, String signature, String signatureV2, int status) {
    String noticeId() {
      return json.get("noticeId").asText();
    }

    String sid() {
      return json.get("sid").asText();
    }

    long sequence() {
      return json.at("/payload/sequence").asLong();
    }

    int eventType() {
      return json.get("eventType").asInt();
    }

    boolean delivered() {
      return status >= 200 && status < 300;
    }
  }

  /** An answer: HTTP status and body; status 0 means: never answer. */
  record Answer(int status, String body) {
    static Answer ok() {
      return new Answer(200, "ok");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private final CountDownLatch released = new CountDownLatch(1);
  private final IntFunction<Answer> answers;

  private Receiver(int port, IntFunction<Answer> answers) throws IOException {
    this.answers = answers;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code answers} maps the request number (0, 1, ...) to the answer. */
  static Receiver start(IntFunction<Answer> answers) throws IOException {
    return new Receiver(0, answers);
  }

  static Receiver startOn(int port, IntFunction<Answer> answers) throws IOException {
    return new Receiver(port, answers);
  }

  static Receiver ok() throws IOException {
    return start(n -> Answer.ok());
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Request> requestsOf(String sid) {
    return requests.stream().filter(r -> r.sid().equals(sid)).toList();
  }

  List<Request> deliveredOf(String sid) {
    return requestsOf(sid).stream().filter(Request::delivered).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Answer answer = answers.apply(count.getAndIncrement());
    if (answer.status() == 0) {
      try {
        released.await(); // a receiver that hangs: the sender's timeout is all that ends the call
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    var headers = exchange.getRequestHeaders();
    requests.add(new Request(body, JSON.readTree(body), headers.getFirst("Content-Type"),
        headers.getFirst("Agora-Signature"), headers.getFirst("Agora-Signature-V2"), answer.status()));
    byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
