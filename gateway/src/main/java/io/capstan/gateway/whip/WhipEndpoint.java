package io.capstan.gateway.whip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.gateway.api.BasicAuth;
import io.capstan.runtime.http.HealthServer;
import io.capstan.webrtc.ReceiveOptions;
import io.capstan.webrtc.ReceiveSession;
import io.capstan.webrtc.RtcException;
import io.capstan.webrtc.RtcSettings;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHIP (RFC 9725) into a channel: {@code POST /v1/apps/{appid}/whip/{channel}/{uid}} with an SDP
 * offer and a bearer token answers 201 with the SDP answer and the session's {@code Location};
 * {@code PATCH} on it trickles ICE candidates, {@code DELETE} ends it. {@code POST .../token} (the
 * REST API's Basic auth) mints tokens; {@code GET /v1/apps/{appid}/whip} is a page to publish
 * from a browser; {@code GET .../{session}/media} relays the decoded media to ingest instances of
 * other processes.
 */
public final class WhipEndpoint extends Handler.Abstract implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WhipEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_SDP_BYTES = 64 * 1024;
  private static final String SDP = "application/sdp";
  private static final String TRICKLE = "application/trickle-ice-sdpfrag";

  /**
   * What the endpoint needs; {@code relayBase} gives the URL (scheme, host, port) at which ingest instances of
   * other processes reach this one, for the request a publisher made.
   */
  public record Options(WhipTokens tokens, BasicAuth auth, RtcSettings rtc, Duration silence, Duration maxTtl,
                        Duration bodyTimeout, int maxPublishers, Function<Request, String> relayBase) {
  }

  private final Options options;
  private final Publications publications;
  private final ExecutorService calls;
  private final byte[] page;

  public WhipEndpoint(Options options, ChannelAnnouncerFactory directory,
                      java.util.concurrent.ScheduledExecutorService scheduler) {
    this.options = options;
    this.publications = new Publications(new ChannelAnnouncer(directory::producer), options.silence(), scheduler);
    // Answering an offer waits for ICE gathering; media relays stream for as long as a publisher does.
    this.calls = new ThreadPoolExecutor(4, 64, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
      Thread t = new Thread(r, "gateway-whip");
      t.setDaemon(true);
      return t;
    });
    this.page = PublishPage.html();
  }

  /** The Kafka producer that writes the channel directory (the gateway's own, once started). */
  public interface ChannelAnnouncerFactory {
    org.apache.kafka.clients.producer.KafkaProducer<String, org.apache.avro.specific.SpecificRecord> producer();
  }

  /** Whether a raw path is WHIP's. */
  public static boolean handles(String rawPath) {
    return WhipPath.matches(rawPath);
  }

  /** How many publishers this gateway holds now. */
  public int publishers() {
    return publications.size();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    WhipPath path = WhipPath.of(request.getHttpURI().getPath());
    if (path == null) {
      text(response, callback, 404, "no such WHIP resource: " + request.getHttpURI().getDecodedPath());
      return true;
    }
    String method = request.getMethod();
    if (method.equals("OPTIONS")) {
      response.getHeaders().put(HttpHeader.ALLOW, allowed(path.kind()));
      if (path.kind() == WhipPath.Kind.ENDPOINT) {
        response.getHeaders().put("Accept-Post", SDP);
      }
      response.setStatus(204);
      callback.succeeded();
      return true;
    }
    if (!allowed(path.kind()).contains(method)) {
      response.getHeaders().put(HttpHeader.ALLOW, allowed(path.kind()));
      HealthServer.closeIfBodyUnread(request, response);
      text(response, callback, 405, "use " + allowed(path.kind()) + " here");
      return true;
    }
    try {
      switch (path.kind()) {
        case PAGE -> HealthServer.respond(response, callback, 200, "text/html;charset=utf-8", page);
        case TOKEN -> withBody(request, response, callback, body -> token(request, path, body));
        case ENDPOINT -> withBody(request, response, callback, body -> publish(request, path, body));
        case SESSION -> {
          if (method.equals("DELETE")) {
            respond(response, callback, delete(request, path));
          } else {
            withBody(request, response, callback, body -> trickle(request, path, body));
          }
        }
        case MEDIA -> relay(request, path, response, callback);
        default -> throw new IllegalStateException(path.kind().name());
      }
    } catch (WhipAnswer answer) {
      respond(response, callback, answer);
    }
    return true;
  }

  private static String allowed(WhipPath.Kind kind) {
    return switch (kind) {
      case PAGE, MEDIA -> "GET";
      case TOKEN, ENDPOINT -> "POST";
      case SESSION -> "PATCH, DELETE";
    };
  }

  private interface Call {
    WhipAnswer apply(byte[] body) throws Exception;
  }

  /** Reads the body without holding a thread, then runs the call on the endpoint's pool. */
  private void withBody(Request request, Response response, Callback callback, Call call) {
    Content.Source.asByteArrayAsync(request, MAX_SDP_BYTES + 1)
        .orTimeout(options.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .thenApplyAsync(body -> {
          if (body.length > MAX_SDP_BYTES) {
            throw new WhipAnswer(413, "text/plain", "the body is larger than " + MAX_SDP_BYTES + " bytes");
          }
          try {
            return call.apply(body);
          } catch (WhipAnswer answer) {
            throw answer;
          } catch (RtcException e) {
            throw new WhipAnswer(400, "text/plain", "the offer cannot be answered: " + e.getMessage());
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        }, calls)
        .whenComplete((answer, e) -> respond(response, callback, answer != null ? answer : failure(request, e)));
  }

  private static WhipAnswer failure(Request request, Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof WhipAnswer answer) {
      return answer;
    }
    if (e instanceof TimeoutException) {
      return new WhipAnswer(408, "text/plain", "the body was not received in time");
    }
    if (e instanceof RejectedExecutionException) {
      return new WhipAnswer(503, "text/plain", "too many calls at once, try again");
    }
    if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
      return new WhipAnswer(413, "text/plain", "the body is larger than " + MAX_SDP_BYTES + " bytes");
    }
    log.error("{} {} failed", request.getMethod(), request.getHttpURI().getDecodedPath(), e);
    return new WhipAnswer(500, "text/plain", "internal error");
  }

  private WhipAnswer token(Request request, WhipPath path, byte[] body) {
    if (!options.auth().accepts(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      WhipAnswer refusal = json(401, error(401, "authentication required (HTTP Basic, customer key and secret)"));
      refusal.headers.put(HttpHeader.WWW_AUTHENTICATE.asString(), "Basic realm=\"capstan\"");
      return refusal;
    }
    Duration ttl = Duration.ofHours(1);
    if (body.length > 0) {
      JsonNode node;
      try {
        node = JSON.readTree(body);
      } catch (java.io.IOException e) {
        return json(400, error(2, "body: not valid JSON"));
      }
      JsonNode seconds = node == null ? null : node.get("ttlSeconds");
      if (node != null && !node.isObject()) {
        return json(400, error(2, "body: must be a JSON object"));
      }
      if (seconds != null) {
        if (!seconds.canConvertToLong() || !seconds.isIntegralNumber() || seconds.asLong() < 1
            || seconds.asLong() > options.maxTtl().toSeconds()) {
          return json(400, error(2, "ttlSeconds: must be a whole number from 1 to " + options.maxTtl().toSeconds()));
        }
        ttl = Duration.ofSeconds(seconds.asLong());
      }
    }
    String refusal = Names.check(path.channel(), path.uid());
    if (refusal != null) {
      return json(400, error(2, refusal));
    }
    WhipTokens.Minted minted = options.tokens().mint(path.appId(), path.channel(), path.uid(), ttl);
    ObjectNode answer = JSON.createObjectNode().put("token", minted.token()).put("expiresAt", minted.expiresAt());
    return json(200, answer);
  }

  private WhipAnswer publish(Request request, WhipPath path, byte[] body) throws RtcException {
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith(SDP)) {
      return new WhipAnswer(415, "text/plain", "the offer must be sent as " + SDP);
    }
    String refusal = options.tokens().refusal(bearer(request), path.appId(), path.channel(), path.uid());
    if (refusal != null) {
      return unauthorized(refusal);
    }
    String names = Names.check(path.channel(), path.uid());
    if (names != null) {
      return new WhipAnswer(400, "text/plain", names);
    }
    if (publications.size() >= options.maxPublishers()) {
      return new WhipAnswer(503, "text/plain", "this gateway holds " + options.maxPublishers()
          + " publishers already (gateway.whip.max.publishers)");
    }
    String offer = new String(body, StandardCharsets.UTF_8);
    OfferMedia media = OfferMedia.of(offer);
    if (!media.audio() && !media.video()) {
      return new WhipAnswer(400, "text/plain", "the offer sends neither audio nor video");
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    String key = randomKey();
    // Where ingest instances of other processes fetch the media; this process' own read it in place.
    String relayUrl = "whip+" + options.relayBase().apply(request) + WhipPath.endpoint(path.appId(), path.channel(),
        path.uid()) + "/" + id + "?key=" + key;
    Publication publication = new Publication(id, key, relayUrl, path.appId(), path.channel(), path.uid(),
        media.audio(), media.video());
    ReceiveSession session = ReceiveSession.answer(options.rtc(), offer,
        new ReceiveOptions(media.audio(), media.video()), publication, publication);
    publication.attach(session, publications);
    publications.add(publication);
    WhipAnswer answer = new WhipAnswer(201, SDP, session.localSdp());
    answer.headers.put(HttpHeader.LOCATION.asString(), WhipPath.endpoint(path.appId(), path.channel(), path.uid())
        + "/" + id);
    answer.headers.put(HttpHeader.ETAG.asString(), "\"" + id + "\"");
    options.rtc().iceServers().forEach(server -> answer.links.add("<" + server.url() + ">; rel=\"ice-server\""));
    log.info("WHIP: uid '{}' offers to publish into channel '{}' (session {}, {})", path.uid(), path.channel(), id,
        media);
    return answer;
  }

  private WhipAnswer trickle(Request request, WhipPath path, byte[] body) throws RtcException {
    Publication publication = session(request, path);
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith(TRICKLE)) {
      return new WhipAnswer(415, "text/plain", "candidates must be sent as " + TRICKLE);
    }
    publication.session().addRemoteCandidates(new String(body, StandardCharsets.UTF_8));
    return new WhipAnswer(204, null, null);
  }

  private WhipAnswer delete(Request request, WhipPath path) {
    Publication publication = session(request, path);
    publications.delete(publication);
    return new WhipAnswer(200, null, null);
  }

  /** The session a PATCH or DELETE names, when its token is the publisher's. */
  private Publication session(Request request, WhipPath path) {
    String refusal = options.tokens().refusal(bearer(request), path.appId(), path.channel(), path.uid());
    if (refusal != null) {
      throw unauthorized(refusal);
    }
    return publications.find(path.session())
        .filter(p -> p.appId().equals(path.appId()) && p.channel().equals(path.channel()) && p.uid().equals(path.uid()))
        .orElseThrow(() -> new WhipAnswer(404, "text/plain", "no such session (it ended, or never was)"));
  }

  /** Streams a publisher's media to an ingest instance of another process (see {@link MediaRelay}). */
  private void relay(Request request, WhipPath path, Response response, Callback callback) {
    String key = Request.extractQueryParameters(request).getValue("key");
    Publication publication = publications.find(path.session()).orElse(null);
    if (publication == null || key == null
        || !MessageDigest.isEqual(publication.relayKey().getBytes(StandardCharsets.US_ASCII),
            key.getBytes(StandardCharsets.US_ASCII))) {
      text(response, callback, 404, "no such session (it ended, or never was)");
      return;
    }
    try {
      calls.execute(() -> {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "video/x-nut");
        try {
          try (OutputStream out = Content.Sink.asOutputStream(response)) {
            MediaRelay.stream(publication, "uid '" + publication.uid() + "' of channel '" + publication.channel()
                + "'", out);
          }
          callback.succeeded(); // after the stream's last chunk
        } catch (Exception e) {
          log.info("WHIP: the media relay of session {} ended: {}", publication.id(), e.getMessage());
          callback.failed(e);
        }
      });
    } catch (RejectedExecutionException e) {
      text(response, callback, 503, "too many calls at once, try again");
    }
  }

  private static WhipAnswer unauthorized(String reason) {
    WhipAnswer answer = new WhipAnswer(401, "text/plain", reason);
    answer.headers.put(HttpHeader.WWW_AUTHENTICATE.asString(), "Bearer realm=\"capstan-whip\"");
    return answer;
  }

  private static String bearer(Request request) {
    String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }

  private static String randomKey() {
    return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
  }

  private static ObjectNode error(int code, String reason) {
    return JSON.createObjectNode().put("code", code).put("reason", reason);
  }

  private static WhipAnswer json(int status, ObjectNode body) {
    try {
      return new WhipAnswer(status, "application/json;charset=utf-8", JSON.writeValueAsString(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void text(Response response, Callback callback, int status, String reason) {
    respond(response, callback, new WhipAnswer(status, "text/plain", reason));
  }

  private static void respond(Response response, Callback callback, WhipAnswer answer) {
    answer.headers.forEach((name, value) -> response.getHeaders().put(name, value));
    answer.links.forEach(link -> response.getHeaders().add(HttpHeader.LINK, link));
    if (answer.body == null) {
      response.setStatus(answer.status);
      callback.succeeded();
      return;
    }
    HealthServer.respond(response, callback, answer.status, answer.contentType.startsWith("text/plain")
        ? "text/plain;charset=utf-8" : answer.contentType, answer.body);
  }

  @Override
  public void close() {
    publications.close();
    calls.shutdownNow();
  }

  /** An answer, thrown from anywhere in a call. */
  static final class WhipAnswer extends RuntimeException {
    final int status;
    final String contentType;
    final String body;
    final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    final java.util.List<String> links = new java.util.ArrayList<>();

    WhipAnswer(int status, String contentType, String body) {
      super(body, null, false, false);
      this.status = status;
      this.contentType = contentType;
      this.body = body;
    }
  }
}
