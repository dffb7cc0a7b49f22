package io.capstan.runtime.config;

/** A setting the operator must fix; the message names it and its environment variable. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
