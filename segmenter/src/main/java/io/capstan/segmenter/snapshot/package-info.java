/**
 * Snapshots of individual recordings: every captureInterval seconds per uid, the next video
 * keyframe decoded alone (FFmpeg's decoder) and encoded as a JPEG (FFmpeg's mjpeg encoder).
 */
package io.capstan.segmenter.snapshot;
