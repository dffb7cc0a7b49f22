package io.capstan.segmenter.job;

import io.capstan.segmenter.playlist.MediaPlaylist;

/**
 * What a previous owner of an output left: records below {@code resumeOffset} are in slices it
 * already wrote; {@code playlist} lists them.
 */
public record Resumed(long resumeOffset, MediaPlaylist playlist, boolean discontinuity) {
}
