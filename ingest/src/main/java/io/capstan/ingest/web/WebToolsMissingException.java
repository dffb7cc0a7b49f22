package io.capstan.ingest.web;

import java.util.List;

/**
 * The machine lacks a program a web recording needs. The message says what to install; the
 * caller turns it into an error event for that job only.
 */
public final class WebToolsMissingException extends RuntimeException {

  /** The Debian/Ubuntu command that installs everything a web recording needs. */
  public static final String INSTALL_COMMAND = "apt-get install chromium xvfb pulseaudio";

  private final List<String> missing;

  public WebToolsMissingException(List<String> missing) {
    super("web page recording needs " + String.join(", ", missing)
        + " on PATH, which this machine lacks; install them with '" + INSTALL_COMMAND + "'");
    this.missing = List.copyOf(missing);
  }

  /** The names of the programs not found, e.g. {@code [chromium, Xvfb]}. */
  public List<String> missing() {
    return missing;
  }
}
