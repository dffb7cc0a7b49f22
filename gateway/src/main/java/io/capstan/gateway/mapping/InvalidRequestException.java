package io.capstan.gateway.mapping;

/**
 * A request the caller must fix. The reason names the field by its JSON path
 * ({@code clientRequest.recordingConfig.transcodingConfig.width}) and says what is wrong, as the
 * gateway answers it: 400 {@code {code: 2, reason: "<field>: <what is wrong>"}}.
 */
public final class InvalidRequestException extends RuntimeException {

  private final String field;
  private final String problem;

  public InvalidRequestException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  public String field() {
    return field;
  }

  public String problem() {
    return problem;
  }

  /** The answer's reason: {@code <field>: <what is wrong>}. */
  public String reason() {
    return getMessage();
  }
}
