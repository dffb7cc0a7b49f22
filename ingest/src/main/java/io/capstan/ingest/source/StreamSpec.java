package io.capstan.ingest.source;

import io.capstan.runtime.source.SourcePolicy;
import io.capstan.runtime.source.SourceUrl;
import java.util.Map;

/**
 * One uid's stream as a reader opens it.
 *
 * @param audio       whether the job may record this uid's audio at all (streamTypes and the source)
 * @param video       likewise for video
 * @param canvas      the largest picture to publish, or null for the source's own size
 * @param options     extra FFmpeg input options (SRT passphrase...); may hold secrets, never logged
 * @param passthrough whether codecs HLS can carry go out untouched to capstan.packets (individual jobs)
 * @param fps         the composite's frame rate, so pictures it never shows are not published; 0: all
 * @param policy      the rule a caller-named source's address is checked against at every connection;
 *                    null for the operator's own streams (channel directory, stored recordings)
 */
public record StreamSpec(String uid, SourceUrl url, boolean audio, boolean video, CanvasFit.Size canvas,
                         Map<String, String> options, boolean passthrough, int fps, SourcePolicy policy) {

  public StreamSpec {
    options = Map.copyOf(options);
  }

  /** The same stream, its address checked by {@code policy} whenever it is opened. */
  public StreamSpec checkedBy(SourcePolicy policy) {
    return new StreamSpec(uid, url, audio, video, canvas, options, passthrough, fps, policy);
  }

  @Override
  public String toString() {
    return "StreamSpec[uid=" + uid + ", url=" + io.capstan.runtime.config.Secrets.redactUrl(url.url())
        + ", audio=" + audio + ", video=" + video + ", canvas=" + canvas + ", passthrough=" + passthrough + ", fps=" + fps + "]";
  }
}
