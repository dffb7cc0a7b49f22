package io.capstan.runtime.events;

/**
 * cloud_recording_error's {@code errorLevel}, as Agora numbers it: how bad an error is for the
 * recording. The webhook's {@code stat} follows from it (non-zero only for {@link #FATAL}).
 */
public final class ErrorLevel {

  public static final int DEBUG = 1;
  public static final int MINOR = 2;
  public static final int MEDIUM = 3;
  /** The recording goes on, but something it should have done was not done (a file, a step). */
  public static final int MAJOR = 4;
  /** The recording ends (or never starts) because of it; a non-zero exitStatus follows. */
  public static final int FATAL = 5;

  private ErrorLevel() {
  }
}
