package io.capstan.ingest.web;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A private PulseAudio server with a single null sink: the page plays into the sink, and the
 * grabber records the sink's monitor. Its runtime directory, configuration and socket live in
 * the session directory, so it neither finds nor is found by any other sound server.
 *
 * <p>PulseAudio runs in user mode even as root (it warns, and works); {@code -n} skips the
 * system's default.pa so no hardware, D-Bus or network module is loaded, and
 * {@code --disallow-module-loading} keeps anything from adding one later.
 */
final class SoundServer implements AutoCloseable {

  static final String SINK = "capstan";
  static final int SAMPLE_RATE = 48_000;
  static final int CHANNELS = 2;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final ChildProcess pulse;
  private final Path socket;
  private final Path clientConfig;

  private SoundServer(ChildProcess pulse, Path socket, Path clientConfig) {
    this.pulse = pulse;
    this.socket = socket;
    this.clientConfig = clientConfig;
  }

  static SoundServer start(Path pulseaudio, Path dir, Path log) throws IOException {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path config = Files.createDirectories(home.resolve(".config/pulse"));
    Path runtime = Files.createDirectories(dir.resolve("run"));
    Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
    // The server's own defaults: clients (Chromium) open their streams at 48 kHz stereo, so
    // nothing is resampled between the page and the recording.
    Files.writeString(config.resolve("daemon.conf"), String.join("\n",
        "default-sample-format = s16le",
        "default-sample-rate = " + SAMPLE_RATE,
        "alternate-sample-rate = " + SAMPLE_RATE,
        "default-sample-channels = " + CHANNELS,
        "exit-idle-time = -1",
        "flat-volumes = no",
        "realtime-scheduling = no",
        "high-priority = no",
        ""));
    // A client that cannot reach PULSE_SERVER must not start (autospawn) a shared server.
    Path clientConfig = config.resolve("client.conf");
    Files.writeString(clientConfig, "autospawn = no\n");
    Path socket = runtime.resolve("pulse.sock");
    Map<String, String> env = Map.of(
        "HOME", home.toString(),
        "XDG_CONFIG_HOME", home.resolve(".config").toString(),
        "XDG_RUNTIME_DIR", runtime.toString(),
        "PULSE_RUNTIME_PATH", runtime.resolve("pulse").toString(),
        "PULSE_STATE_PATH", home.resolve("pulse-state").toString(),
        "PULSE_CLIENTCONFIG", clientConfig.toString());
    List<String> command = List.of(pulseaudio.toString(),
        "--daemonize=no", "--system=no", "--use-pid-file=no", "-n",
        "--exit-idle-time=-1", "--log-target=stderr", "--log-level=error",
        "--load=module-null-sink sink_name=" + SINK + " format=s16le rate=" + SAMPLE_RATE
            + " channels=" + CHANNELS + " sink_properties=device.description=" + SINK,
        "--load=module-native-protocol-unix auth-anonymous=1 socket=" + socket,
        "--disallow-module-loading");
    ChildProcess pulse = ChildProcess.start("pulseaudio", command, env, log, false);
    try {
      awaitSocket(pulse, socket, log);
    } catch (IOException e) {
      pulse.close();
      throw e;
    }
    return new SoundServer(pulse, socket, clientConfig);
  }

  private static void awaitSocket(ChildProcess pulse, Path socket, Path log) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!pulse.isAlive()) {
        throw new IOException("pulseaudio exited with " + pulse.process().exitValue() + " (see " + log + ")");
      }
      if (Files.exists(socket)) {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
          return;
        } catch (IOException e) {
          // bound but not yet listening
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while pulseaudio started", e);
      }
    }
    throw new IOException("pulseaudio did not open " + socket + " in " + START_TIMEOUT.toSeconds() + " s (see " + log + ")");
  }

  /** The value for {@code PULSE_SERVER} and for FFmpeg's pulse {@code server} option. */
  String serverAddress() {
    return "unix:" + socket;
  }

  /** The source to record: the monitor of the sink the page plays into. */
  String monitorSource() {
    return SINK + ".monitor";
  }

  /** The environment a client (Chromium) needs to find this server and only this one. */
  Map<String, String> clientEnvironment() {
    return Map.of("PULSE_SERVER", serverAddress(), "PULSE_CLIENTCONFIG", clientConfig.toString());
  }

  ChildProcess process() {
    return pulse;
  }

  @Override
  public void close() {
    pulse.close();
  }
}
