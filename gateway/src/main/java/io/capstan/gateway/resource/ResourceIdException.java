package io.capstan.gateway.resource;

/** A resourceId the gateway refuses, with the hosted product's code: 1001, 432 or 433. */
public final class ResourceIdException extends RuntimeException {

  public enum Kind {
    INVALID(1001, "invalid resourceId"),
    MISMATCH(432, "resourceId mismatch: it was acquired for another cname or uid"),
    EXPIRED(433, "resource expired: a resourceId is good for one start within its validity"),
    /** acquire's resourceExpiredHour has passed since the recording started: its calls are over. */
    HOURS_PASSED(433, "resource expired: the resourceExpiredHour of acquire has passed since the recording started");

    private final int code;
    private final String reason;

    Kind(int code, String reason) {
      this.code = code;
      this.reason = reason;
    }

    public int code() {
      return code;
    }

    public String reason() {
      return reason;
    }
  }

  private final Kind kind;

  public ResourceIdException(Kind kind) {
    super(kind.reason());
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
