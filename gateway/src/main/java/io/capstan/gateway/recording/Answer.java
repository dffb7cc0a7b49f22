package io.capstan.gateway.recording;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An HTTP status and the JSON body to send. */
public record Answer(int status, ObjectNode body) {

  public static Answer ok(ObjectNode body) {
    return new Answer(200, body);
  }
}
