package io.capstan.segmenter.playlist;

import io.capstan.runtime.hls.HlsPlaylistText;

/**
 * Reads back a playlist {@link MediaPlaylist#render()} wrote, so an instance that takes over a job
 * continues the same playlist. Durations come back at the millisecond precision of EXTINF.
 */
public final class PlaylistParser {


  private PlaylistParser() {
  }

  public static MediaPlaylist parse(String text) {
    MediaPlaylist playlist = new MediaPlaylist();
    HlsPlaylistText.Parsed parsed = HlsPlaylistText.parse(text);
    for (HlsPlaylistText.Entry e : parsed.entries()) {
      playlist.add(new PlaylistEntry(e.uri(), e.durationUs(), e.dateTimeMs(), e.discontinuity(), e.map()));
    }
    if (parsed.ended()) {
      playlist.end();
    }
    return playlist;
  }
}
