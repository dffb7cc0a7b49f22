package io.capstan.uploader.store;

/**
 * A store failed. {@code permanent}: retrying cannot help (wrong bucket, unsupported vendor, refused
 * credentials) and the user must fix the job's storage; otherwise it is retried with backoff.
 */
public class StoreException extends Exception {

  private final boolean permanent;

  public StoreException(String message, boolean permanent, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
  }

  public StoreException(String message, boolean permanent) {
    this(message, permanent, null);
  }

  public boolean permanent() {
    return permanent;
  }
}
