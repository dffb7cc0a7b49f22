package io.capstan.runtime.net;

/** A host Capstan may not connect to for a caller; the message says why, for the caller. */
public final class RefusedAddressException extends Exception {

  public RefusedAddressException(String message) {
    super(message, null, false, false);
  }
}
