package io.capstan.storage.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azurite's blob service as a child process (npm's azurite@3.37.0, installed on first use into
 * {@code target/azurite}, which git ignores). Needs node and npm; a test on a machine without node is
 * skipped by an assumption that says so, never silently.
 */
public final class Azurite implements AutoCloseable {

  public static final String VERSION = "3.37.0";
  public static final String ACCOUNT = "devstoreaccount1";
  /** Azurite's well-known development key (public, documented by Microsoft). */
  public static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private final Process process;
  private final int port;

  private Azurite(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static Azurite start(Path dataDir) throws Exception {
    assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed: the Azure Blob tests need"
        + " Azurite (npm install azurite@" + VERSION + "); install Node.js to run them");
    Path home = Path.of("target", "azurite").toAbsolutePath();
    Path main = home.resolve("node_modules/azurite/dist/src/blob/main.js");
    if (!Files.exists(main)) {
      Files.createDirectories(home);
      Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
          "--prefix", home.toString(), "azurite@" + VERSION)
          .redirectErrorStream(true).redirectOutput(home.resolve("npm-install.log").toFile()).start();
      if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
        throw new IllegalStateException("npm install azurite@" + VERSION + " failed; see " + home.resolve("npm-install.log"));
      }
    }
    int port = freePort();
    Files.createDirectories(dataDir);
    Process process = new ProcessBuilder(List.of("node", main.toString(), "--blobHost", "127.0.0.1", "--blobPort",
        String.valueOf(port), "--location", dataDir.toString(), "--silent", "--skipApiVersionCheck", "--loose"))
        .redirectErrorStream(true).redirectOutput(dataDir.resolve("azurite.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("azurite exited with " + process.exitValue() + "; see "
            + dataDir.resolve("azurite.log"));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new Azurite(process, port);
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("azurite did not listen on port " + port + " within 30 s");
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
