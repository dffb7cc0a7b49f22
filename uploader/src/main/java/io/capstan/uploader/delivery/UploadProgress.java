package io.capstan.uploader.delivery;

/**
 * The figure of uploading_progress (event 33): how much of the recording so far is in storage, in
 * ten-thousandths. The segmenter's files carry the job time they cover, so the figure is the
 * recording time whose slices are stored over the recording time there is. A slice only becomes a
 * file once it is complete (and about 2 s later, the segmenter's offset and the trip through Kafka),
 * so the slice being recorded does not count as owed: a healthy upload stays at 9999 and a store
 * outage shows as a falling figure. 10000 is only ever reported with Uploaded: every file is in the
 * primary store.
 */
public final class UploadProgress {

  public static final int ALL = 10_000;
  static final long FILE_DELAY_MS = 2_000;

  private UploadProgress() {
  }

  /**
   * @param startUtcMs       job-timeline zero
   * @param storedUntilUtcMs where the latest stored slice ends (0: none stored yet)
   * @param recordedUntilMs  now, or when the recording stopped
   * @param sliceSeconds     the job's slice length
   */
  public static int of(long startUtcMs, long storedUntilUtcMs, long recordedUntilMs, int sliceSeconds) {
    long stored = storedUntilUtcMs <= startUtcMs ? 0 : storedUntilUtcMs - startUtcMs;
    long owed = recordedUntilMs - startUtcMs - sliceSeconds * 1000L - FILE_DELAY_MS;
    if (stored == 0) {
      return 0;
    }
    return stored >= owed ? ALL - 1 : (int) Math.min(ALL - 1, stored * ALL / owed);
  }
}
