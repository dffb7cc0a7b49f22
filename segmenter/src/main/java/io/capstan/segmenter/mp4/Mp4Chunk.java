package io.capstan.segmenter.mp4;

/**
 * A piece of an MP4 file, ready to become a FileChunk: {@code offset} is its first byte's place in
 * the file; {@code last} marks the file's end.
 *
 * @param durationSeconds the media duration the file holds so far (exact on the last chunk)
 */
public record Mp4Chunk(String fileName, long offset, byte[] data, boolean last, long startUtcMs,
                       double durationSeconds) {
}
