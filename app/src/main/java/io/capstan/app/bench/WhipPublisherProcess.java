package io.capstan.app.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link WhipPublisherMain} in a JVM of its own, publishing until it is closed. */
final class WhipPublisherProcess implements AutoCloseable {

  private final Process process;

  private WhipPublisherProcess(Process process) {
    this.process = process;
  }

  static WhipPublisherProcess start(String endpoint, String token, String codec, Path file, Path log)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        WhipPublisherMain.class.getName(), endpoint, token, codec, file.toString()))
        .redirectErrorStream(false)
        .redirectError(log.toFile())
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("publishing")) {
      p.destroyForcibly();
      throw new IOException("the WHIP publisher did not start (" + codec + "); see " + log);
    }
    return new WhipPublisherProcess(p);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.getOutputStream().close(); // it unpublishes (DELETE) and exits
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
