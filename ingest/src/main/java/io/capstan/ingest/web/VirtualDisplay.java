package io.capstan.ingest.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A private X display: Xvfb on a display number it picks itself ({@code -displayfd}), so
 * concurrent sessions never race for one.
 *
 * <p>The screen is {@link #MARGIN} pixels larger than the viewport on each axis: with no window
 * manager, a Chromium window exactly the size of the screen comes out one pixel short in both
 * directions (measured: 1279×719 for 1280×720), while a smaller window is exactly its
 * {@code --window-size}. The grabber reads only the top-left viewport area.
 */
final class VirtualDisplay implements AutoCloseable {

  static final int MARGIN = 16;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final ChildProcess xvfb;
  private final int number;

  private VirtualDisplay(ChildProcess xvfb, int number) {
    this.xvfb = xvfb;
    this.number = number;
  }

  static VirtualDisplay start(Path xvfbExecutable, int width, int height, Path log) throws IOException {
    List<String> command = List.of(xvfbExecutable.toString(),
        "-displayfd", "1", // Xvfb writes the number it chose, then a newline, on stdout
        "-screen", "0", (width + MARGIN) + "x" + (height + MARGIN) + "x24",
        "-nolisten", "tcp", "-dpi", "96", "-noreset");
    ChildProcess xvfb = ChildProcess.start("Xvfb", command, Map.of(), log, true);
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        BufferedReader reader = new BufferedReader(
            new InputStreamReader(xvfb.process().getInputStream(), StandardCharsets.US_ASCII));
        return reader.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    try {
      String number = line.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (number == null || !number.trim().matches("\\d+")) {
        throw new IOException("Xvfb did not start (see " + log + ")");
      }
      return new VirtualDisplay(xvfb, Integer.parseInt(number.trim()));
    } catch (InterruptedException e) {
      xvfb.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while Xvfb started", e);
    } catch (ExecutionException | TimeoutException | IOException e) {
      xvfb.close();
      throw e instanceof IOException io ? io : new IOException("Xvfb did not start in time (see " + log + ")", e);
    }
  }

  /** The display name for {@code DISPLAY}, e.g. {@code :3}. */
  String name() {
    return ":" + number;
  }

  int number() {
    return number;
  }

  ChildProcess process() {
    return xvfb;
  }

  @Override
  public void close() {
    xvfb.close();
  }
}
