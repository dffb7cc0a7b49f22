package io.capstan.mixer.job;

import io.capstan.mixer.compositor.SourcePicture;
import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.StreamState;
import io.capstan.schemas.StreamStateKind;
import io.capstan.schemas.VideoFrame;

/** What every kind of mix job checks of the records it is handed. */
final class IncomingRecords {

  private IncomingRecords() {
  }

  /**
   * A new job starts with a uid joining; anything else first, in a partition this group has
   * consumed before, means another instance produced the start of this job and died.
   */
  static boolean resumesMidStream(MediaRecord first, boolean mayResume) {
    Object body = first.getBody();
    boolean joined = body instanceof StreamState s && s.getState() == StreamStateKind.JOINED;
    return mayResume && !joined && first.getTimestampUs() > 0;
  }

  /** @throws IllegalArgumentException when the frame's planes do not match its size and strides */
  static void check(VideoFrame frame) {
    SourcePicture.check(frame.getWidth(), frame.getHeight(),
        frame.getStrides().stream().mapToInt(Integer::intValue).toArray(), frame.getData().remaining());
  }

  static void check(AudioFrame audio) {
    if (audio.getChannels() <= 0 || audio.getSampleRate() <= 0) {
      throw new IllegalArgumentException("audio frame with " + audio.getChannels() + " channels at "
          + audio.getSampleRate() + " Hz");
    }
  }
}
