package io.capstan.gateway;

import org.eclipse.jetty.server.Handler;
import io.capstan.gateway.api.BasicAuth;
import io.capstan.gateway.api.GatewayApi;
import io.capstan.gateway.kafka.KafkaCommandSink;
import io.capstan.gateway.kafka.KafkaJobLookup;
import io.capstan.gateway.mapping.StartRequestMapper;
import io.capstan.gateway.recording.Recordings;
import io.capstan.gateway.recording.UnknownFields;
import io.capstan.gateway.recording.StartChecks;
import io.capstan.runtime.http.HttpLimits;
import io.capstan.runtime.source.SourcePolicy;
import io.capstan.runtime.spec.JobSpecValidator;
import io.capstan.runtime.spec.SpecLimits;
import io.capstan.gateway.resource.ResourceIds;
import io.capstan.webrtc.RtcConfigs;
import io.capstan.gateway.whip.WhipEndpoint;
import io.capstan.gateway.whip.WhipTokens;
import io.capstan.runtime.rtc.RtcConfig;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.config.ConfigException;
import io.capstan.runtime.http.HealthServer;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.Service;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: the hosted product's REST API over Capstan's topics. Writes
 * {@code capstan.commands}; reads {@code capstan.jobs} and {@code capstan.status}. Stateless
 * apart from what it just sent, so instances scale behind a load balancer when they share
 * {@code gateway.resource.secret}.
 *
 * <p>It owns no HTTP server: {@link #mount(HealthServer)} (or {@link #handler()} on
 * {@link GatewayApi#CONTEXT}) adds the API to the process' server, after {@link #start()}.
 */
public final class GatewayService implements Service {

  /** The port setting of a gateway that runs alone ({@link GatewayMain}). */
  public static final io.capstan.runtime.config.Setting<Integer> HTTP_PORT = GatewaySettings.HTTP_PORT;
  private static final Logger log = LoggerFactory.getLogger(GatewayService.class);

  private final ServiceContext context;
  private final ScheduledExecutorService scheduler;
  private final TopicView<JobSpec> specs;
  private final TopicView<JobStatus> statuses;
  private final GatewayApi api;
  private final WhipEndpoint whip;
  private KafkaProducer<String, SpecificRecord> producer;
  private volatile boolean running;

  public GatewayService(ServiceContext context) {
    this.context = context;
    Config config = context.config();
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gateway-wait");
      t.setDaemon(true);
      return t;
    });
    this.specs = context.views().open(Topics.JOBS);
    this.statuses = context.views().open(Topics.STATUS);
    BasicAuth auth;
    try {
      auth = BasicAuth.of(config.get(GatewaySettings.AUTH));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(GatewaySettings.AUTH.name() + " (" + GatewaySettings.AUTH.environmentName()
          + "): " + e.getMessage());
    }
    if (!auth.enabled()) {
      log.warn("{} is not set: the REST API accepts calls without authentication", GatewaySettings.AUTH.name());
    }
    ResourceIds resourceIds = new ResourceIds(resourceSecret(config), Clock.systemUTC(),
        config.get(GatewaySettings.RESOURCE_VALIDITY));
    SourcePolicy sources = SourcePolicy.of(config);
    Recordings recordings = new Recordings(resourceIds,
        new StartRequestMapper(new StartRequestMapper.Options(sources)),
        new StartChecks(new JobSpecValidator(sources, SpecLimits.of(config)), sources.addresses()),
        command -> sink().send(command),
        new KafkaJobLookup(specs, statuses, scheduler),
        config.get(GatewaySettings.START_WAIT), config.get(GatewaySettings.STOP_WAIT), Clock.systemUTC(),
        new UnknownFields(context.metrics()));
    this.api = new GatewayApi(recordings, auth, config.get(GatewaySettings.RATE_LIMIT),
        config.get(HttpLimits.HEADER_TIMEOUT));
    this.whip = new WhipEndpoint(new WhipEndpoint.Options(
        new WhipTokens(secret(config, GatewaySettings.WHIP_SECRET, "WHIP tokens"), Clock.systemUTC()), auth,
        RtcConfigs.settings(RtcConfig.of(config)), config.get(GatewaySettings.WHIP_SILENCE),
        config.get(GatewaySettings.WHIP_MAX_TTL), config.get(HttpLimits.HEADER_TIMEOUT),
        config.get(GatewaySettings.WHIP_MAX_PUBLISHERS), relayBase(config.get(GatewaySettings.WHIP_RELAY_URL))),
        this::producer, scheduler);
    api.whip(whip);
  }

  /** The relay URL base: the configured one, else this machine's name and the port the publisher called. */
  private static java.util.function.Function<org.eclipse.jetty.server.Request, String> relayBase(String configured) {
    if (configured != null && !configured.isBlank()) {
      String base = configured.trim().replaceAll("/+$", "");
      return request -> base;
    }
    String host = hostName();
    return request -> "http://" + host + ":" + org.eclipse.jetty.server.Request.getLocalPort(request);
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  public static List<io.capstan.runtime.config.Setting<?>> settings() {
    return GatewaySettings.settings();
  }

  /** The REST API, to mount on {@link GatewayApi#CONTEXT} of an HTTP server. */
  public Handler handler() {
    return api;
  }

  /** Adds the REST API to the process' health server (one port for everything). */
  public void mount(HealthServer server) {
    server.handle(GatewayApi.CONTEXT, handler());
  }

  @Override
  public String name() {
    return "gateway";
  }

  @Override
  public synchronized void start() {
    producer = context.kafka().producer(context.clientId("gateway", "commands"));
    specs.start();
    statuses.start();
    running = true;
  }

  @Override
  public boolean healthy() {
    return running;
  }

  @Override
  public boolean ready() {
    return running && specs.caughtUp() && statuses.caughtUp();
  }

  @Override
  public synchronized void close() {
    running = false;
    whip.close();
    api.close();
    scheduler.shutdownNow();
    specs.close();
    statuses.close();
    if (producer != null) {
      producer.close();
    }
  }

  private synchronized KafkaProducer<String, SpecificRecord> producer() {
    if (producer == null) {
      throw new IllegalStateException("the gateway is not started");
    }
    return producer;
  }

  private KafkaCommandSink sink() {
    if (producer == null) {
      throw new IllegalStateException("the gateway is not started");
    }
    return new KafkaCommandSink(producer, context.config().get(GatewaySettings.SEND_TIMEOUT));
  }

  private static byte[] resourceSecret(Config config) {
    return secret(config, GatewaySettings.RESOURCE_SECRET, "resourceIds");
  }

  private static byte[] secret(Config config, io.capstan.runtime.config.Setting<String> setting, String what) {
    String secret = config.get(setting);
    if (secret == null || secret.isBlank()) {
      log.warn("{} is not set: {} are signed with a random key, valid on this gateway instance only; "
          + "give every gateway of a deployment the same secret", setting.name(), what);
      return ResourceIds.randomSecret();
    }
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < 16) {
      throw new ConfigException(setting.name() + " (" + setting.environmentName() + "): needs at least 16 characters");
    }
    return bytes;
  }
}
