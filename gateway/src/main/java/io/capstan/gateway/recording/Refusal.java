package io.capstan.gateway.recording;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A call the gateway refuses, as the hosted product does: an HTTP status and {@code {code, reason}}
 * (plus, for some, the ids the caller needs).
 */
public final class Refusal extends RuntimeException {

  public static final String NO_WORKER = "failed to find worker";

  private final int status;
  private final ObjectNode body;

  public Refusal(int status, int code, String reason) {
    this(status, code, reason, JsonNodeFactory.instance.objectNode());
  }

  /** {@code extra} fields come first in the body, then code and reason. */
  public Refusal(int status, int code, String reason, ObjectNode extra) {
    super(reason);
    this.status = status;
    this.body = extra.deepCopy();
    this.body.put("code", code);
    this.body.put("reason", reason);
  }

  public static Refusal notFound() {
    return new Refusal(404, 404, NO_WORKER);
  }

  public int status() {
    return status;
  }

  public Answer answer() {
    return new Answer(status, body);
  }
}
