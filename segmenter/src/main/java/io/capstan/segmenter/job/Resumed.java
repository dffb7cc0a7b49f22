package io.capstan.segmenter.job;

import io.capstan.segmenter.playlist.MediaPlaylist;

/**
 * What a previous owner of an output left: records below {@code resumeOffset} are in files it
 * already wrote; {@code playlist} lists its HLS slices; {@code carry} is the state an HLS, MP4
 * or snapshot output goes on from (see {@link io.capstan.segmenter.progress.ResumeNote.OutputNote}).
 */
public record Resumed(long resumeOffset, MediaPlaylist playlist, boolean discontinuity, long carry) {

  public Resumed(long resumeOffset, MediaPlaylist playlist, boolean discontinuity) {
    this(resumeOffset, playlist, discontinuity, 0);
  }
}
