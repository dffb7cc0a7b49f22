package io.capstan.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A record that cannot be written or read with its Avro contract. */
public final class SerdeException extends SerializationException {
  public SerdeException(String message) {
    super(message);
  }

  public SerdeException(String message, Throwable cause) {
    super(message, cause);
  }
}
