package io.capstan.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) in this JVM, on a port of
 * the caller's choosing. Its log directory is formatted once and survives restarts, so
 * {@code capstan serve --embedded} keeps its topics and offsets across runs.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int NODE_ID = 1;
  /**
   * How late the broker's timed waits may fire. An idle broker still wakes ~170 times a second on
   * timers of its own (each purgatory's reaper every 200 ms, a tick per Yammer meter every 5 s, each
   * pool's poll timeouts), and on a virtual machine each wake-up costs tens of microseconds; with
   * slack they wake together (one reaper period: 100 ms saved two fifths of the broker's idle CPU, 200 ms
   * a little more). Nothing a recording waits for is a broker timer: fetches (min 1 byte) and
   * produces complete when the data is there, so only idle fetch answers, session expiries and
   * housekeeping come up to this much later.
   */
  static final Duration TIMER_SLACK = Duration.ofMillis(200);

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final Map<String, String> overrides;
  /**
   * Every thread the broker starts, and those they start, inherit this group: what the broker costs
   * in this process can be told from what its clients and Capstan's services cost ({@code capstan bench}).
   */
  private final ThreadGroup threads = new ThreadGroup("embedded-kafka");
  private KafkaRaftServer server;

  /** @param port the client port, or 0 for any free one */
  public EmbeddedKafka(Path dataDir, int port) {
    this(dataDir, port, Map.of());
  }

  /**
   * @param port the client port, or 0 for any free one
   * @param overrides broker settings that replace or add to this class's own
   */
  public EmbeddedKafka(Path dataDir, int port, Map<String, String> overrides) {
    this.dataDir = dataDir;
    this.port = port == 0 ? freePort() : port;
    this.controllerPort = freePort();
    this.overrides = Map.copyOf(overrides);
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The broker's threads alive now: those it started, and those they started (see {@link #start()}). */
  public List<Thread> liveThreads() {
    Thread[] alive = new Thread[threads.activeCount() + 32];
    int n = threads.enumerate(alive, true);
    return List.of(Arrays.copyOf(alive, n));
  }

  /** Where the broker keeps its topics' partitions, one directory each. */
  public Path logDir() {
    return dataDir.resolve("kafka-logs");
  }

  public synchronized EmbeddedKafka start() {
    if (server != null) {
      return this;
    }
    ensurePortFree(port);
    Path logDir = logDir();
    Properties props = brokerProperties(logDir);
    KafkaConfig config = new KafkaConfig(props, false);
    try {
      Files.createDirectories(logDir);
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(logDir);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the embedded broker's log directory " + logDir + ": "
          + e.getMessage(), e);
    }
    server = startInOwnThreads(config);
    awaitReady(Duration.ofSeconds(60));
    log.info("embedded Kafka broker ready on {}", bootstrapServers());
    return this;
  }

  private Properties brokerProperties(Path logDir) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "6");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "6");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "6");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // A killed instance's open transaction holds back its output's readers until it times out and the
    // coordinator notices: look every second, not every ten (as a deployment's broker should too).
    p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    // The controller writes a no-op record to the metadata log this often (default 500 ms): idle CPU.
    p.put("metadata.max.idle.interval.ms", "5000");
    p.put("auto.create.topics.enable", "false");
    // Raw frames are up to 8 MiB; leave room for batch overhead.
    p.put("message.max.bytes", String.valueOf(16 * 1024 * 1024 + 1024));
    p.put("replica.fetch.max.bytes", String.valueOf(16 * 1024 * 1024 + 1024));
    p.put("socket.request.max.bytes", String.valueOf(128 * 1024 * 1024));
    // The default 128 MiB dedupe buffer doubles the broker's resident memory for nothing here.
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    p.put("log.retention.check.interval.ms", "60000");
    // Every thread of the broker's pools wakes a few times a second with nothing to do; one network
    // thread and two request handlers carry this process's traffic (a few live recordings on a few cores).
    p.put("num.network.threads", "1");
    p.put("num.io.threads", "2");
    // Each group coordinator thread polls its queue three times a second; one carries this process's
    // groups (a few heartbeats and commits a second per recording). Four by default.
    p.put("group.coordinator.threads", "1");
    // The broker tells its controller, in this same process, that it lives: every 5 s, not every 2.
    p.put("broker.heartbeat.interval.ms", "5000");
    p.put("broker.session.timeout.ms", "18000");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.putAll(overrides);
    return p;
  }

  /**
   * Builds and starts the server from a thread of {@link #threads}, so the broker's threads belong to
   * it and inherit {@link #TIMER_SLACK}.
   */
  private KafkaRaftServer startInOwnThreads(KafkaConfig config) {
    FutureTask<KafkaRaftServer> startup = new FutureTask<>(() -> {
      // inherited by every thread the broker starts from here on, and only by those
      if (!TimerSlack.setForThisThread(TIMER_SLACK)) {
        log.debug("no timer slack for the embedded broker's threads on this platform");
      }
      KafkaRaftServer raft = new KafkaRaftServer(config, Time.SYSTEM);
      raft.startup();
      return raft;
    });
    new Thread(threads, startup, "embedded-kafka-start").start();
    try {
      return startup.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the embedded broker started", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException("the embedded broker did not start: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private void format(Path logDir) throws Exception {
    new Formatter()
        .setNodeId(NODE_ID)
        .setClusterId(Uuid.randomUuid().toString())
        .setDirectories(List.of(logDir.toString()))
        .setMetadataLogDirectory(logDir.toString())
        .setControllerListenerName("CONTROLLER")
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .run();
  }

  private void awaitReady(Duration timeout) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(p)) {
      while (true) {
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the embedded broker did not become ready on " + bootstrapServers(), e);
          }
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  private static void ensurePortFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " is in use; choose another with --kafka-port", e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
