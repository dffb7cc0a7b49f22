package io.capstan.segmenter.job;

import io.capstan.segmenter.naming.TrackSet;

/** One HLS output of a job: uid "" is the composite output. */
public record OutputKey(String jobId, String uid, TrackSet tracks) {
}
