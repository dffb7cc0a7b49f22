package io.capstan.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Capstan service in its own JVM, started as an operator starts it
 * ({@code java -jar capstan.jar serve --services X}), so that it can really be killed. Its output
 * goes to {@code <name>.log} in the given directory.
 */
final class ServiceProcess {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final String service;
  private final Process process;
  private final Path log;
  private final int port;

  private ServiceProcess(String name, String service, Process process, Path log, int port) {
    this.name = name;
    this.service = service;
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts {@code service} as instance {@code name} against {@code bootstrap}, with {@code settings}
   * as {@code --set name=value}.
   */
  static ServiceProcess start(Path jar, Path dir, String service, String name, String bootstrap,
                              Map<String, String> settings) throws IOException {
    int port = freePort();
    Path log = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Ten JVMs and a broker share two cores here: small heaps, the serial collector.
        "-Xmx384m", "-XX:+UseSerialGC",
        "-jar", jar.toString(), "serve", "--services", service, "--port", String.valueOf(port),
        "--bootstrap", bootstrap));
    settings.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    return new ServiceProcess(name, service, process, log, port);
  }

  String name() {
    return name;
  }

  String service() {
    return service;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Whether its {@code /ready} answers 200 (it fails the wait if the process has exited). */
  boolean ready() {
    if (!process.isAlive()) {
      throw new AssertionError(name + " exited with status " + process.exitValue() + ":\n" + tail(40));
    }
    try {
      HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
          .timeout(Duration.ofSeconds(2)).build();
      return HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void awaitReady(Duration timeout) {
    await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(250)).until(this::ready);
  }

  /** SIGKILL: no shutdown hook, no leaving the group, open transactions left open. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " (pid " + pid() + ") did not die from SIGKILL");
    }
  }

  /** SIGTERM, without waiting. */
  void terminate() {
    process.destroy();
  }

  /** SIGTERM, then SIGKILL if it has not ended in 20 s. */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  Path log() {
    return log;
  }

  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
