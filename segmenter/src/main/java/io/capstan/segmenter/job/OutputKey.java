package io.capstan.segmenter.job;

import io.capstan.segmenter.naming.TrackSet;

/** One output of a job: uid "" is the composite output; {@code kind} says which files it makes. */
public record OutputKey(String jobId, String uid, TrackSet tracks, OutputKind kind) {

  /** An HLS output. */
  public OutputKey(String jobId, String uid, TrackSet tracks) {
    this(jobId, uid, tracks, OutputKind.HLS);
  }
}
