package io.capstan.notifier.delivery;

/** How one POST of a notice to one subscriber went. */
public record Attempt(Outcome outcome, String reason) {

  public enum Outcome {
    /** 2xx: done. */
    DELIVERED,
    /** 5xx, 408, 429, timeout, connection or DNS failure: the receiver may recover, try again later. */
    RETRY,
    /** Any other answer, or a destination we refuse: trying again would change nothing. */
    REJECTED
  }

  public static Attempt delivered() {
    return new Attempt(Outcome.DELIVERED, "");
  }

  public static Attempt retry(String reason) {
    return new Attempt(Outcome.RETRY, reason);
  }

  public static Attempt rejected(String reason) {
    return new Attempt(Outcome.REJECTED, reason);
  }

  /** The outcome of an HTTP answer, {@code body} the start of the answer's body. */
  public static Attempt ofStatus(int status, String body) {
    if (status >= 200 && status < 300) {
      return delivered();
    }
    String reason = "HTTP " + status + ": " + (body.length() > 200 ? body.substring(0, 200) : body);
    return status >= 500 || status == 408 || status == 429 ? retry(reason) : rejected(reason);
  }
}
