package io.capstan.storage;

/**
 * A store failed. {@code permanent}: retrying cannot help (wrong keys, missing bucket, unsupported
 * vendor) and the user must fix the job's storage; otherwise it is retried with backoff. The
 * message is written by Capstan, never copied from an SDK, and never carries a key: it may go into
 * an event the user reads. Vendor SDK exceptions are deliberately not kept as the cause (their text,
 * URLs and signatures are not ours to vet); {@link StoreFailures} puts a redacted summary in the
 * message instead.
 */
public class StoreException extends Exception {

  /** What went wrong, as far as the user is concerned. */
  public enum Category {
    /** The store refused the credentials or the bucket policy refused the write. */
    ACCESS_DENIED,
    /** The bucket (container) does not exist. */
    NO_BUCKET,
    /** The object asked for does not exist. */
    NOT_FOUND,
    /** The job's storage settings are wrong or not supported. */
    INVALID,
    /** The store could not be reached or answered with a server error. */
    UNAVAILABLE
  }

  private final boolean permanent;
  private final Category category;

  public StoreException(String message, boolean permanent, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
    this.category = permanent ? Category.INVALID : Category.UNAVAILABLE;
  }

  public StoreException(String message, boolean permanent) {
    this(message, permanent, null);
  }

  public StoreException(Category category, String message) {
    super(message);
    this.category = category;
    this.permanent = category != Category.UNAVAILABLE;
  }

  public boolean permanent() {
    return permanent;
  }

  public Category category() {
    return category;
  }
}
