package io.capstan.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.capstan.gateway.mapping.InvalidRequestException;
import io.capstan.gateway.recording.Answer;
import io.capstan.gateway.recording.CommandSink;
import io.capstan.gateway.recording.Recordings;
import io.capstan.gateway.recording.Refusal;
import io.capstan.gateway.resource.ResourceIdException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosted product's REST API on a JDK {@code HttpServer} context ({@value #CONTEXT}):
 * authentication, routing, JSON in and out, and every failure turned into the reference's
 * {@code {code, reason}} answers. A synchronous stop completes the exchange later, from the thread
 * that sees the status, so it holds no HTTP thread while it waits.
 */
public final class GatewayApi implements HttpHandler {

  /** The context path to mount the handler on. */
  public static final String CONTEXT = Route.BASE;
  static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final Logger log = LoggerFactory.getLogger(GatewayApi.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Recordings recordings;
  private final BasicAuth auth;
  private final RateLimiter limiter;

  public GatewayApi(Recordings recordings, BasicAuth auth) {
    this(recordings, auth, 0);
  }

  /** {@code requestsPerSecond}: per app; 0 = unlimited. */
  public GatewayApi(Recordings recordings, BasicAuth auth, double requestsPerSecond) {
    this.recordings = recordings;
    this.auth = auth;
    this.limiter = new RateLimiter(requestsPerSecond, System::nanoTime);
  }

  @Override
  public void handle(HttpExchange exchange) {
    CompletableFuture<Answer> answer;
    try {
      answer = dispatch(exchange);
    } catch (Throwable e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete((a, e) -> send(exchange, a != null ? a : failure(exchange, e)));
  }

  private CompletableFuture<Answer> dispatch(HttpExchange exchange) throws IOException {
    if (!auth.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"capstan\"");
      throw new Refusal(401, 401, exchange.getRequestHeaders().containsKey("Authorization")
          ? "invalid authentication credentials" : "authentication required (HTTP Basic, customer key and secret)");
    }
    Route route = Route.of(exchange.getRequestURI().getRawPath());
    if (route == null) {
      throw new Refusal(404, 404, "no such API: " + exchange.getRequestURI().getPath());
    }
    if (!limiter.allow(route.appId())) {
      // The hosted product's exact answer for this one, which clients match on.
      return done(new Answer(429, JSON.createObjectNode().put("message", "API rate limit exceeded")));
    }
    if (!route.call().method.equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", route.call().method);
      throw new Refusal(405, 405, "use " + route.call().method + " for " + route.call().name().toLowerCase());
    }
    return switch (route.call()) {
      case ACQUIRE -> done(recordings.acquire(route.appId(), body(exchange)));
      case START -> done(recordings.start(route.appId(), route.resourceId(), route.mode(), body(exchange)));
      case QUERY -> done(recordings.query(route.appId(), route.resourceId(), route.sid(), route.mode()));
      case UPDATE -> done(recordings.update(route.appId(), route.resourceId(), route.sid(), route.mode(), body(exchange)));
      case UPDATE_LAYOUT -> done(recordings.updateLayout(route.appId(), route.resourceId(), route.sid(), route.mode(),
          body(exchange)));
      case STOP -> recordings.stop(route.appId(), route.resourceId(), route.sid(), route.mode(), body(exchange));
    };
  }

  private static CompletableFuture<Answer> done(Answer answer) {
    return CompletableFuture.completedFuture(answer);
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new Refusal(413, 413, "body: larger than " + MAX_BODY_BYTES + " bytes");
    }
    if (bytes.length == 0) {
      throw new InvalidRequestException("body", "missing (a JSON object is expected)");
    }
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new InvalidRequestException("body", "not valid JSON: " + e.getOriginalMessage() + where);
    }
  }

  private static Answer failure(HttpExchange exchange, Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof Refusal refusal) {
      return refusal.answer();
    }
    if (e instanceof InvalidRequestException invalid) {
      return new Refusal(400, 2, invalid.reason()).answer();
    }
    if (e instanceof ResourceIdException rid) {
      return new Refusal(400, rid.kind().code(), rid.kind().reason()).answer();
    }
    if (e instanceof CommandSink.CommandNotSentException notSent) {
      log.warn("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), notSent.getMessage());
      return new Refusal(503, 503, "the command could not be queued, try again: " + notSent.getMessage()).answer();
    }
    log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
    return new Refusal(500, 500, "internal error").answer();
  }

  private static void send(HttpExchange exchange, Answer answer) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(answer.body());
      exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      // The caller went away; nothing left to tell it.
      log.debug("could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          e.getMessage());
    } finally {
      exchange.close();
    }
  }
}
