package io.capstan.ingest.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium in a kiosk window of exactly the viewport's size at 0,0 of a private
 * display, with its own profile, and a DevTools endpoint on a port it picks itself
 * ({@code --remote-debugging-port=0}, read back from {@code DevToolsActivePort}).
 */
final class ChromiumBrowser implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final ChildProcess chromium;
  private final URI pageEndpoint;

  private ChromiumBrowser(ChildProcess chromium, URI pageEndpoint) {
    this.chromium = chromium;
    this.pageEndpoint = pageEndpoint;
  }

  /** The command line; the page itself is loaded later through DevTools. */
  static List<String> command(Path executable, Path profile, PageOptions options) {
    List<String> command = new ArrayList<>(List.of(executable.toString(),
        // Root (containers, CI) cannot use the setuid/namespace sandbox.
        "--no-sandbox", "--test-type", // --test-type: no "unsupported flag" infobar
        "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--disable-breakpad",
        "--disable-features=Translate,MediaRouter,OptimizationHints,InterestFeedContentSuggestions",
        "--password-store=basic", "--no-pings", "--noerrdialogs", "--deny-permission-prompts",
        "--disable-notifications", "--hide-scrollbars",
        "--autoplay-policy=no-user-gesture-required",
        // Nothing on the private display is "in front": keep timers and painting at full rate.
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows",
        // /dev/shm is 64 MB in Docker by default; Chromium then crashes on big pages.
        "--disable-dev-shm-usage",
        "--ozone-platform=x11", "--force-device-scale-factor=1",
        "--user-data-dir=" + profile, "--disk-cache-dir=" + profile.resolve("cache"),
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
        "--kiosk", "--window-position=0,0",
        "--window-size=" + options.width() + "," + options.height()));
    if (options.mobile()) {
      command.add("--user-agent=" + PageOptions.MOBILE_USER_AGENT);
    }
    if (options.proxy() != null) {
      // A page a caller named loads nothing the address rule refuses: not its redirects, frames,
      // scripts' requests or WebSockets (all through the proxy, loopback too), nor WebRTC over UDP.
      command.add("--proxy-server=" + options.proxy());
      command.add("--proxy-bypass-list=<-loopback>");
      command.add("--force-webrtc-ip-handling-policy=disable_non_proxied_udp");
    }
    command.add("about:blank");
    return command;
  }

  static ChromiumBrowser start(Path executable, PageOptions options, Path dir, VirtualDisplay display,
      SoundServer sound, HttpClient http, Path log) throws IOException {
    Path profile = Files.createDirectories(dir.resolve("profile"));
    Path home = Files.createDirectories(dir.resolve("home"));
    Map<String, String> env = new HashMap<>(sound.clientEnvironment());
    env.put("DISPLAY", display.name());
    // Everything Chromium keeps outside the profile (NSS db, caches, fontconfig) stays in the session.
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
    env.put("XDG_RUNTIME_DIR", dir.resolve("run").toString());
    env.put("DBUS_SESSION_BUS_ADDRESS", "disabled:");
    env.remove("WAYLAND_DISPLAY");
    ChildProcess chromium = ChildProcess.start("chromium", command(executable, profile, options), env, log, false);
    try {
      int port = awaitDevToolsPort(chromium, profile.resolve("DevToolsActivePort"), log);
      return new ChromiumBrowser(chromium, pageEndpoint(http, port));
    } catch (IOException | RuntimeException e) {
      chromium.close();
      throw e;
    }
  }

  private static int awaitDevToolsPort(ChildProcess chromium, Path file, Path log) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!chromium.isAlive()) {
        throw new IOException("chromium exited with " + chromium.process().exitValue() + " (see " + log + ")");
      }
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file);
        if (!lines.isEmpty() && lines.get(0).matches("\\d+")) {
          return Integer.parseInt(lines.get(0));
        }
      }
      sleep(50);
    }
    throw new IOException("chromium opened no DevTools port in " + START_TIMEOUT.toSeconds() + " s (see " + log + ")");
  }

  /** The WebSocket endpoint of the browser's one page (tab). */
  private static URI pageEndpoint(HttpClient http, int port) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        JsonNode targets = DevToolsClient.JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode target : targets) {
          if ("page".equals(target.path("type").asText()) && target.hasNonNull("webSocketDebuggerUrl")) {
            return URI.create(target.get("webSocketDebuggerUrl").asText());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for chromium's page", e);
      }
      sleep(50);
    }
    throw new IOException("chromium showed no page target on port " + port);
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while chromium started", e);
    }
  }

  URI pageEndpoint() {
    return pageEndpoint;
  }

  ChildProcess process() {
    return chromium;
  }

  @Override
  public void close() {
    chromium.close();
  }
}
