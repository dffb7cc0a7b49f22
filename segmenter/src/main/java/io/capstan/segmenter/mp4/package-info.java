/**
 * MP4 files of a job's composite output: fragmented MP4 muxed in memory, split at the job's
 * maxFileDuration at the next keyframe, and handed out in chunks while it is being made.
 */
package io.capstan.segmenter.mp4;
