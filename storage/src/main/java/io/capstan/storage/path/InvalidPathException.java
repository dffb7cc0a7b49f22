package io.capstan.storage.path;

/** A storage path the user gave that the reference's rules refuse; the message says what to fix. */
public final class InvalidPathException extends IllegalArgumentException {
  public InvalidPathException(String message) {
    super(message);
  }
}
