package io.capstan.segmenter.naming;

/**
 * Which media a file carries: the reference's {@code <type>} name part (audio, video, av) and the
 * fileList / FileChunk {@code trackType} word (audio, video, audio_and_video).
 */
public enum TrackSet {
  AUDIO("audio", "audio"),
  VIDEO("video", "video"),
  AV("av", "audio_and_video");

  private final String nameToken;
  private final String trackType;

  TrackSet(String nameToken, String trackType) {
    this.nameToken = nameToken;
    this.trackType = trackType;
  }

  /** The {@code <type>} part of individual file names. */
  public String nameToken() {
    return nameToken;
  }

  /** The {@code trackType} of callbacks and FileChunks. */
  public String trackType() {
    return trackType;
  }

  public boolean hasAudio() {
    return this != VIDEO;
  }

  public boolean hasVideo() {
    return this != AUDIO;
  }
}
