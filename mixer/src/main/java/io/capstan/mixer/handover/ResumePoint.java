package io.capstan.mixer.handover;

/**
 * Where a job's composite output goes on: the first video frame (index on the output timeline) and
 * the audio time (microseconds) that no committed packet holds yet. A new owner starts its encoders
 * exactly there, so the output neither repeats nor misses a frame across a handover.
 *
 * @param videoFrame next video frame index to emit; -1 when the job has no video
 * @param audioUs    time of the next audio to emit; -1 when the job has no audio
 */
public record ResumePoint(long videoFrame, long audioUs) {
}
