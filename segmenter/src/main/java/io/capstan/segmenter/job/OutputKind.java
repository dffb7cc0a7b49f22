package io.capstan.segmenter.job;

/** What an output makes of its packets. */
public enum OutputKind {
  /** HLS slices and their playlist. */
  HLS,
  /** MP4 files split at maxFileDuration (composite only). */
  MP4,
  /** JPEG snapshots of a uid's video (individual only). */
  SNAPSHOT
}
