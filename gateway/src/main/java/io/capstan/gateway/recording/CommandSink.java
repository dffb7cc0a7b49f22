package io.capstan.gateway.recording;

import io.capstan.schemas.RecordingCommand;

/** Where commands go ({@code capstan.commands}); returns once the command is durably accepted. */
public interface CommandSink {

  /** @throws CommandNotSentException when it could not be written in time */
  void send(RecordingCommand command);

  final class CommandNotSentException extends RuntimeException {
    public CommandNotSentException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
