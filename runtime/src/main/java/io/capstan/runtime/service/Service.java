package io.capstan.runtime.service;

/**
 * A Capstan service: started once, ready when it does its work, closed on shutdown (offsets
 * committed, in-flight work finished or handed over to the group).
 */
public interface Service extends AutoCloseable {

  String name();

  void start();

  /** True while the service does its work (its consumers polling, its threads alive). */
  boolean healthy();

  /** True once it has joined its groups and can take work. */
  boolean ready();

  /** The names of the services (this one, or its parts) not ready yet, for {@code /ready} to show. */
  default java.util.List<String> notReady() {
    return healthy() && ready() ? java.util.List.of() : java.util.List.of(name());
  }

  @Override
  void close();
}
