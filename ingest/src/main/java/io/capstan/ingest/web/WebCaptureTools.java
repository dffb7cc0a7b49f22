package io.capstan.ingest.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The external programs a web recording runs: Chromium, Xvfb and PulseAudio, found on a PATH.
 *
 * @param chromium the browser ({@code chromium}, else {@code chromium-browser})
 * @param xvfb the virtual X server
 * @param pulseaudio the sound server
 */
public record WebCaptureTools(Path chromium, Path xvfb, Path pulseaudio) {

  /** Finds the programs on this process's PATH, or says what to install. */
  public static WebCaptureTools find() {
    return find(System.getenv("PATH"));
  }

  /** Finds the programs on {@code path} (a PATH-style list), or says what to install. */
  public static WebCaptureTools find(String path) {
    List<Path> dirs = new ArrayList<>();
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isBlank()) {
          dirs.add(Path.of(dir));
        }
      }
    }
    Optional<Path> chromium = which(dirs, "chromium").or(() -> which(dirs, "chromium-browser"));
    Optional<Path> xvfb = which(dirs, "Xvfb");
    Optional<Path> pulse = which(dirs, "pulseaudio");
    List<String> missing = new ArrayList<>();
    chromium.ifPresentOrElse(p -> { }, () -> missing.add("chromium"));
    xvfb.ifPresentOrElse(p -> { }, () -> missing.add("Xvfb"));
    pulse.ifPresentOrElse(p -> { }, () -> missing.add("pulseaudio"));
    if (!missing.isEmpty()) {
      throw new WebToolsMissingException(missing);
    }
    return new WebCaptureTools(chromium.get(), xvfb.get(), pulse.get());
  }

  /** The tools when all are present; empty otherwise (for tests' assumptions and health checks). */
  public static Optional<WebCaptureTools> probe() {
    try {
      return Optional.of(find());
    } catch (WebToolsMissingException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> which(List<Path> dirs, String name) {
    for (Path dir : dirs) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
