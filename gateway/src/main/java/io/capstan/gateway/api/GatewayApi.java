package io.capstan.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.capstan.gateway.mapping.InvalidRequestException;
import io.capstan.gateway.recording.Answer;
import io.capstan.gateway.recording.CommandSink;
import io.capstan.gateway.recording.Recordings;
import io.capstan.gateway.recording.Refusal;
import io.capstan.gateway.resource.ResourceIdException;
import io.capstan.runtime.http.HealthServer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosted product's REST API under {@value #CONTEXT}: rate limit, authentication, routing, JSON in
 * and out, and every failure turned into the reference's {@code {code, reason}} answers.
 *
 * <p>The body is read without holding a thread and within the body timeout; the call itself runs on
 * the API's own bounded pool, so a flood of calls (or a slow broker) queues there and is refused
 * with 503 when the queue is full, while {@code /health} and {@code /ready} keep answering. A
 * synchronous stop and a start waiting for ingest complete later, holding no thread.
 */
public final class GatewayApi extends Handler.Abstract implements AutoCloseable {

  /** The path prefix to mount the handler on. */
  public static final String CONTEXT = Route.BASE;
  static final int MAX_BODY_BYTES = 1024 * 1024;
  static final String REQUEST_ID = "X-Request-ID";
  private static final int MAX_NESTING = 32;
  private static final Logger log = LoggerFactory.getLogger(GatewayApi.class);
  private static final ObjectMapper JSON = JsonMapper.builder(new com.fasterxml.jackson.core.JsonFactoryBuilder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
              .maxStringLength(MAX_BODY_BYTES).build())
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private final Recordings recordings;
  private final BasicAuth auth;
  private final RateLimiter limiter;
  private final Duration bodyTimeout;
  private final ExecutorService calls;
  private volatile Handler whip;

  public GatewayApi(Recordings recordings, BasicAuth auth) {
    this(recordings, auth, 0, Duration.ofSeconds(10));
  }

  /** {@code requestsPerSecond}: per client address, failed authentication included; 0 = unlimited. */
  public GatewayApi(Recordings recordings, BasicAuth auth, double requestsPerSecond, Duration bodyTimeout) {
    this.recordings = recordings;
    this.auth = auth;
    this.limiter = new RateLimiter(requestsPerSecond, System::nanoTime);
    this.bodyTimeout = bodyTimeout;
    this.calls = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
      Thread t = new Thread(r, "gateway-api");
      t.setDaemon(true);
      return t;
    });
  }

  /** WHIP's paths under /v1/apps/{appid}/whip go to {@code handler} (its own authentication: bearer tokens). */
  public void whip(Handler handler) {
    this.whip = handler;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Handler w = whip;
    if (w != null && io.capstan.gateway.whip.WhipEndpoint.handles(request.getHttpURI().getPath())) {
      if (!limiter.allow(Request.getRemoteAddr(request))) {
        HealthServer.closeIfBodyUnread(request, response);
        HealthServer.respond(response, callback, 429, "text/plain;charset=utf-8", "API rate limit exceeded");
        return true;
      }
      return w.handle(request, response, callback);
    }
    // Every answer, refusals included, names its request as the hosted product's do: clients log it
    // with their errors (the official Java client puts it in its exception messages).
    response.getHeaders().put(REQUEST_ID, UUID.randomUUID().toString().replace("-", ""));
    CompletableFuture<Answer> answer;
    try {
      answer = accept(request, response);
    } catch (Throwable e) {
      answer = CompletableFuture.failedFuture(e);
      HealthServer.closeIfBodyUnread(request, response);
    }
    answer.whenComplete((a, e) -> send(response, callback, a != null ? a : failure(request, e)));
    return true;
  }

  /** What is refused before any work: rate, credentials, path, method, size. Then the body, then the call. */
  private CompletableFuture<Answer> accept(Request request, Response response) {
    if (!limiter.allow(Request.getRemoteAddr(request))) {
      HealthServer.closeIfBodyUnread(request, response);
      // The hosted product's exact answer for this one, which clients match on.
      return done(new Answer(429, JSON.createObjectNode().put("message", "API rate limit exceeded")));
    }
    String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (!auth.accepts(authorization)) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"capstan\"");
      throw new Refusal(401, 401, authorization != null
          ? "invalid authentication credentials" : "authentication required (HTTP Basic, customer key and secret)");
    }
    Route route = Route.of(request.getHttpURI().getPath());
    if (route == null) {
      throw new Refusal(404, 404, "no such API: " + request.getHttpURI().getDecodedPath());
    }
    if (!route.call().method.equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, route.call().method);
      throw new Refusal(405, 405, "use " + route.call().method + " for " + route.call().name().toLowerCase());
    }
    if (!route.call().method.equals("POST")) {
      return call(route, null);
    }
    long length = request.getLength();
    if (length > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    return Content.Source.asByteArrayAsync(request, MAX_BODY_BYTES + 1)
        .orTimeout(bodyTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof TimeoutException) {
            throw new Refusal(408, 408, "body: not received within " + bodyTimeout.toSeconds() + " s");
          }
          if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
            throw tooLarge(); // Jetty's own limit, for a body that was not announced with its length
          }
          throw new CompletionException(cause);
        })
        .thenCompose(bytes -> {
          if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge();
          }
          return call(route, bytes);
        });
  }

  private static Refusal tooLarge() {
    return new Refusal(413, 413, "body: larger than " + MAX_BODY_BYTES + " bytes");
  }

  /** Runs the call on the API's pool; a full queue answers 503 at once. */
  private CompletableFuture<Answer> call(Route route, byte[] body) {
    try {
      return CompletableFuture.supplyAsync(() -> dispatch(route, body), calls).thenCompose(f -> f);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new Refusal(503, 503, "too many calls at once, try again"));
    }
  }

  private CompletableFuture<Answer> dispatch(Route route, byte[] body) {
    return switch (route.call()) {
      case ACQUIRE -> done(recordings.acquire(route.appId(), json(body)));
      case START -> recordings.start(route.appId(), route.resourceId(), route.mode(), json(body));
      case QUERY -> done(recordings.query(route.appId(), route.resourceId(), route.sid(), route.mode()));
      case UPDATE -> done(recordings.update(route.appId(), route.resourceId(), route.sid(), route.mode(), json(body)));
      case UPDATE_LAYOUT -> done(recordings.updateLayout(route.appId(), route.resourceId(), route.sid(), route.mode(),
          json(body)));
      case STOP -> recordings.stop(route.appId(), route.resourceId(), route.sid(), route.mode(), json(body));
    };
  }

  private static CompletableFuture<Answer> done(Answer answer) {
    return CompletableFuture.completedFuture(answer);
  }

  static JsonNode json(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidRequestException("body", "missing (a JSON object is expected)");
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new InvalidRequestException("body", "must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new InvalidRequestException("body", "not valid JSON: " + e.getOriginalMessage() + where);
    } catch (java.io.IOException e) {
      throw new InvalidRequestException("body", "cannot be read: " + e.getMessage());
    }
  }

  private static Answer failure(Request request, Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
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
      log.warn("{} {}: {}", request.getMethod(), request.getHttpURI().getDecodedPath(), notSent.getMessage());
      return new Refusal(503, 503, "the command could not be queued, try again: " + notSent.getMessage()).answer();
    }
    log.error("{} {} failed", request.getMethod(), request.getHttpURI().getDecodedPath(), e);
    return new Refusal(500, 500, "internal error").answer();
  }

  private static void send(Response response, Callback callback, Answer answer) {
    try {
      HealthServer.respond(response, callback, answer.status(), "application/json;charset=utf-8",
          JSON.writeValueAsBytes(answer.body()));
    } catch (JsonProcessingException e) {
      callback.failed(e);
    }
  }

  @Override
  public void close() {
    calls.shutdownNow();
  }
}
