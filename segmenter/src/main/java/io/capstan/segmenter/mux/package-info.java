/**
 * In-memory MPEG-TS muxing with FFmpeg: encoded packets in, the bytes of one playable slice out.
 * No temp files; native memory is freed when the muxer closes.
 */
package io.capstan.segmenter.mux;
