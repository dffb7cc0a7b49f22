package io.capstan.mixer.image;

/**
 * Why an image cannot be shown, in words for the user who named it (refused host, too large, too
 * slow, not an image): it ends up in a RecordingWarning. The recording itself goes on.
 */
public final class ImageException extends Exception {

  public ImageException(String message) {
    super(message, null, false, false);
  }
}
