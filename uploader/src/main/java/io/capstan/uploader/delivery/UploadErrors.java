package io.capstan.uploader.delivery;

/** errorCode values of the uploader's cloud_recording_error events. */
public final class UploadErrors {

  /** The job's storage cannot take files: unsupported vendor, refused writes, bad bucket. */
  public static final int STORAGE = 32;
  /** A file name or fileNamePrefix the reference's rules refuse. */
  public static final int PATH = 33;
  /** No job spec on capstan.jobs for a file. */
  public static final int NO_JOB = 34;
  /** A recording's postponed transcoding or audio mix could not be started. */
  public static final int POST_PROCESSING = 35;
  /** The recording ended with no file at all: no source ever delivered media. */
  public static final int NO_MEDIA = 36;

  private UploadErrors() {
  }
}
