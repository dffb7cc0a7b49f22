package io.capstan.runtime.events;

/**
 * session_exit's {@code exitStatus}: 0 when the recording ended as asked, otherwise why it could
 * not be made. The status query answers 20 (exited abnormally) for every non-zero one, and a
 * cloud_recording_error sent before it says what to fix.
 */
public final class ExitStatus {

  public static final int NORMAL = 0;
  /** The start was refused: invalid request, or a source or address the policy does not allow. */
  public static final int REFUSED = 1;
  /** The recording ended without any media: no source ever delivered any. */
  public static final int NO_MEDIA = 2;
  /** The recording's files could not be stored (the store refused them, no backup took them). */
  public static final int STORAGE_FAILED = 3;
  /** No instance had room for another recording. */
  public static final int NO_CAPACITY = 4;

  private ExitStatus() {
  }
}
