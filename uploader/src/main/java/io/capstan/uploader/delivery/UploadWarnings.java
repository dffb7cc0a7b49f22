package io.capstan.uploader.delivery;

/** warnCode values of the uploader's cloud_recording_warning events, as Agora numbers them. */
public final class UploadWarnings {

  /** A file is uploaded again to the recording's own store after a failed attempt. */
  public static final int RETRY = 31;
  /** A file goes to the backup store instead: the recording's own store has failed for too long. */
  public static final int TO_BACKUP = 32;

  private UploadWarnings() {
  }
}
