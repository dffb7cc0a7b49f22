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

  @Override
  void close();
}
